from wagtail import hooks

from .caching import clear_page_cache


@hooks.register("after_publish_page")
@hooks.register("after_unpublish_page")
@hooks.register("after_delete_page")
@hooks.register("after_move_page")
def clear_cached_pages(request, page, *args, **kwargs):
    clear_page_cache()
