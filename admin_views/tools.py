"""Links shown beside a list's filters, contributed by view mixins (export, import, bulk edit…)."""
from dataclasses import dataclass


@dataclass
class ListTool:
    """A link shown beside the list's filters (export, bulk edit of everything found, import…)."""

    id: str
    label: str
    url: str
    icon: str | None = None
    css: str | None = None


class ListTools:
    """The end of the ``list_tools()`` chain: each mixin returns ``super().list_tools() + [...]``."""

    def list_tools(self) -> list[ListTool]:
        return []
