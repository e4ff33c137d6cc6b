"""What a live panel (:func:`lessons.book.widgets.panel`) shows now, for the chapter tests."""
from __future__ import annotations


def png(box) -> str:
    """The (base64) PNG of the single figure the panel shows."""
    images = [o["data"]["image/png"] for o in box.output.outputs
              if o["output_type"] == "display_data"]
    assert len(images) == 1, f"expected one figure, the panel shows {len(images)}"
    return images[0]


def printed(box) -> str:
    """What the panel's update printed."""
    return "".join(o["text"] for o in box.output.outputs if o["output_type"] == "stream")
