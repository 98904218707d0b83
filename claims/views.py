from django.http import Http404


def topic_list(request):
    raise Http404


def topic_detail(request, slug):
    raise Http404


def topic_feed(request, slug):
    raise Http404


def claim_detail(request, pk):
    raise Http404


def treaty_list(request):
    raise Http404


def treaty_detail(request, slug):
    raise Http404


def provision_detail(request, slug, address):
    raise Http404
