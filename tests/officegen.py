"""Generate the docgen report as .odt (odfpy, no LibreOffice) and as a web page."""
from __future__ import annotations

import html
import struct
import zipfile
from pathlib import Path

from tests.docgen import HEADING_KINDS, SPEC, _plain


def write_odt(path, spec=SPEC) -> Path:
    """Write ``spec`` as an OpenDocument text file with heading, title, list and table elements."""
    from odf.opendocument import OpenDocumentText
    from odf.style import Style
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, P

    doc = OpenDocumentText()
    title_style = Style(name="Title", family="paragraph")
    doc.styles.addElement(title_style)
    for kind, value in spec:
        if kind == "title":
            doc.text.addElement(P(stylename=title_style, text=str(value)))
        elif kind in HEADING_KINDS:
            doc.text.addElement(H(outlinelevel=HEADING_KINDS[kind], text=str(value)))
        elif kind in ("p", "bold"):
            doc.text.addElement(P(text=_plain(str(value))))
        elif kind == "list":
            lst = List()
            for item in value:
                li = ListItem()
                li.addElement(P(text=item))
                lst.addElement(li)
            doc.text.addElement(lst)
        elif kind == "table":
            table = Table(name=f"Table{id(value)}")
            table.addElement(TableColumn(numbercolumnsrepeated=max(len(r) for r in value)))
            for row in value:
                tr = TableRow()
                for cell in row:
                    tc = TableCell()
                    tc.addElement(P(text=cell))
                    tr.addElement(tc)
                table.addElement(tr)
            doc.text.addElement(table)
    path = Path(path)
    doc.save(str(path))
    return path


def write_html(path, spec=SPEC, title="Annual Report 2022-23", site="Devon Safeguarding Children Partnership",
               date="2023-09-14") -> Path:
    """Write ``spec`` as a published web page: skip link, cookie banner, navigation, article, footer."""
    tags = {"title": "h1", "h1": "h2", "h2": "h3", "h3": "h4"}
    body = []
    for kind, value in spec:
        if kind in tags:
            body.append(f"<{tags[kind]}>{html.escape(str(value))}</{tags[kind]}>")
        elif kind in ("p", "bold"):
            body.append(f"<p>{html.escape(_plain(str(value)))}</p>")
        elif kind == "list":
            body.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in value) + "</ul>")
        elif kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in value)
            body.append(f"<table>{rows}</table>")
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} | {html.escape(site)}</title>
<meta property="og:site_name" content="{html.escape(site)}">
<meta property="article:published_time" content="{date}">
</head><body>
<a class="skip-link" href="#main">Skip to content</a>
<div id="cookie-banner" class="cookie-banner"><p>We use cookies to make this website work.
Accept all cookies or manage your cookie settings.</p></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/about-us">About us</a></li>
<li><a href="/training">Training courses</a></li><li><a href="/contact">Contact us</a></li></ul></nav></header>
<main id="main"><article>{''.join(body)}</article></main>
<footer><p>Copyright 2023 Devon County Council. Privacy notice. Accessibility statement. Site map.</p></footer>
</body></html>"""
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    return path


def forge_size(path: Path, member: str, size: int) -> None:
    """Write ``size`` into ``member``'s size fields (local header and central directory): a lie."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        offset = z.getinfo(member).header_offset
    struct.pack_into("<I", data, offset + 22, size)
    at = data.find(b"PK\x01\x02")
    while at != -1:
        n = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + n] == member.encode():
            struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def write_zip_bomb(path: Path, member: str, mb: int, real: Path | None = None, forged: int | None = None) -> Path:
    """A package whose ``member`` inflates to ``mb`` MB (of spaces inside its XML), the other members
    those of the ``real`` document (so a reader library goes on to read ``member``); with ``forged``,
    its size headers say that many bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        if real is not None:
            with zipfile.ZipFile(real) as source:
                for info in source.infolist():
                    if info.filename != member:
                        z.writestr(info, source.read(info))
        with z.open(member, "w") as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8"?><document>')
            for _ in range(mb):
                fh.write(b" " * (1 << 20))
            fh.write(b"</document>")
    if forged is not None:
        forge_size(path, member, forged)
    return path
