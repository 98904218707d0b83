from articles.models import Article, Outlet
from config.api_views import ReadOnlyViewSet


class ArticleViewSet(ReadOnlyViewSet):
    queryset = Article.objects.none()


class OutletViewSet(ReadOnlyViewSet):
    queryset = Outlet.objects.none()
