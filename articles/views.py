from django.http import Http404


def article_list(request):
    raise Http404


def article_detail(request, slug):
    raise Http404


def outlet_detail(request, slug):
    raise Http404
