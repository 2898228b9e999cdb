from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from fanfold.filters.listing import works_filtered_listing
from fanfold.tags.models import TagType
from fanfold.tags.selectors import tag_by_url_name, tags_autocomplete


def _tag_or_404(request: HttpRequest, name: str):
    tag = tag_by_url_name(name, viewer=request.user)
    if tag is None:
        raise Http404("No such tag.")
    return tag


def tag_detail(request: HttpRequest, name: str) -> HttpResponse:
    tag = _tag_or_404(request, name)
    context = {
        "tag": tag,
        "synonyms": list(tag.synonyms.all()),
        "parents": list(tag.parents.all()),
        "children": list(tag.children.all()[:200]),
    }
    return render(request, "tags/detail.html", context)


def tag_works(request: HttpRequest, name: str) -> HttpResponse:
    tag = _tag_or_404(request, name)
    if tag.merger_id:
        # A synonym's works live under its canonical tag.
        return redirect(tag.merger.get_works_url())
    listing = works_filtered_listing(viewer=request.user, params=request.GET, fixed_tag=tag)
    return render(request, "tags/works.html", {"tag": tag, "filtered": listing})


@require_GET
def autocomplete(request: HttpRequest) -> JsonResponse:
    tag_type = request.GET.get("type") or None
    if tag_type is not None and tag_type not in TagType.values:
        return JsonResponse({"error": f"Unknown tag type {tag_type!r}."}, status=400)
    tags = tags_autocomplete(
        term=request.GET.get("term", "")[:100], tag_type=tag_type, viewer=request.user
    )
    response = JsonResponse({"tags": [{"name": t.name, "type": t.type} for t in tags]})
    # Members may see more tags than guests: keep answers in the browser's own cache.
    response["Cache-Control"] = "private, max-age=60"
    return response
