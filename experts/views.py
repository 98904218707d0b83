from django.http import Http404


def expert_list(request):
    raise Http404


def expert_detail(request, slug):
    raise Http404


def expert_feed(request, slug):
    raise Http404
