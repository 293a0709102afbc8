"""Routing helpers shared by every route: the {id:id} path type, one endpoint per path."""

from starlette.convertors import Convertor, register_url_convertor


class IdConvertor(Convertor[int]):
    """A database id: 1 to 9 digits, so an absurd number is a 404, not an overflow."""

    regex = "[0-9]{1,9}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(int(value))


register_url_convertor("id", IdConvertor())


def by_method(**handlers):
    """One endpoint for a path served by several handlers, so a 405 lists every allowed method."""

    async def dispatch(request):
        method = "get" if request.method == "HEAD" else request.method.lower()
        return await handlers[method](request)

    return dispatch
