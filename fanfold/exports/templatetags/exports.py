from django import template

from fanfold.exports import links
from fanfold.exports.registry import unavailable_formats

register = template.Library()


@register.simple_tag(takes_context=True)
def work_download_links(context, work):
    context["unavailable_download_notes"] = [f.unavailable_note() for f in unavailable_formats()]
    return links.download_links(work)


@register.simple_tag(takes_context=True)
def series_download_links(context, series):
    context["unavailable_download_notes"] = [f.unavailable_note() for f in unavailable_formats()]
    return links.series_download_links(series)
