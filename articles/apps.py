from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and outlets"

    def ready(self):
        from articles.models import Article
        from core.workflow import register_reviewed

        register_reviewed(Article, source="outlet")
