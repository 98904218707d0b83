from django.http import Http404
from django.shortcuts import render

from articles.models import Article
from claims.models import Claim


def home(request):
    """The front page: the latest published articles and claims."""
    articles = Article.objects.published().select_related("outlet")[:10]
    claims = Claim.objects.published().select_related("speaker")[:10]
    return render(request, "home.html", {"articles": articles, "claims": claims})


def search(request):
    raise Http404


def robots_txt(request):
    raise Http404


def sitemap(request):
    raise Http404
