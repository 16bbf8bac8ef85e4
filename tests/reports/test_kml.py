"""KML 2.2: parsed back with fastkml; a TimeSpan per control observation; escaped."""

from __future__ import annotations

from pathlib import Path

from fastkml import kml
from lxml import etree

from sitrep.reports.kml_export import export_kml

from .conftest import HOSTILE_TEXT, edit, view_of

NS = {"k": "http://www.opengis.net/kml/2.2"}


def _folders(data: bytes) -> dict[str, list]:
    document = kml.KML.from_string(data).features[0]
    return {folder.name: list(folder.features) for folder in document.features}


def test_sample_placemarks_with_control_and_counts(sample_view) -> None:
    folders = _folders(export_kml(sample_view))
    places = folders["Settlements"]
    assert [p.name for p in places] == [s["name"] for s in sample_view.settlements]
    lysychansk = places[0]
    data = {d.name: d.value for d in lysychansk.extended_data.elements}
    assert data["control"] == "ru" and data["control_as_of"] == "2022-06"
    assert data["claims"] == "6" and data["confirmed"] == "1" and data["unverified"] == "5"
    assert (lysychansk.geometry.x, lysychansk.geometry.y) == (38.442, 48.904)
    assert len(folders["Control over time"]) == 10  # Lysychansk: UA in 2022, RU from June


def test_each_control_observation_is_a_time_span(sample_db: Path) -> None:
    edit(sample_db, "settlements", "lysychansk", control=[
        {"controller": "ua", "as_of": "2014", "claim": None, "note": ""},
        {"controller": "ru", "as_of": "2022-06", "claim": "c-cnn-lysychansk-lost-june",
         "note": "taken"},
        {"controller": "contested", "as_of": "2022-09-10T14:05:00Z", "claim": None, "note": ""},
    ])
    folders = _folders(export_kml(view_of(sample_db)))
    spans = [p for p in folders["Control over time"] if p.name.startswith("Lysychansk")]
    assert [p.name for p in spans] == ["Lysychansk: UA", "Lysychansk: RU",
                                       "Lysychansk: contested"]
    root = etree.fromstring(export_kml(view_of(sample_db)))
    begins = root.xpath("//k:Folder[k:name='Control over time']/k:Placemark"
                        "[starts-with(k:name,'Lysychansk')]/k:TimeSpan", namespaces=NS)
    got = [(s.findtext("k:begin", namespaces=NS), s.findtext("k:end", namespaces=NS))
           for s in begins]
    assert got == [("2014", "2022-06"), ("2022-06", "2022-09-10T14:05:00Z"),
                   ("2022-09-10T14:05:00Z", None)]
    assert spans[0].times.begin is not None


def test_hostile_names_are_escaped_and_the_xml_well_formed(sample_db: Path) -> None:
    edit(sample_db, "settlements", "lysychansk", name=HOSTILE_TEXT + "\x00\ufffe",
         region="</name></Placemark><Placemark>&")
    data = export_kml(view_of(sample_db))
    root = etree.fromstring(data)
    assert len(root.xpath("//k:Folder[k:name='Settlements']/k:Placemark", namespaces=NS)) == 9
    name = root.xpath("//k:Placemark/k:name", namespaces=NS)[0].text
    assert "<script>alert(1)</script>" in name and "\\x1b[31mred" in name
    assert "\\x00" in name and "\\ufffe" in name
    assert b"\x1b" not in data and "\u202e".encode() not in data
    assert _folders(data)["Settlements"][0].name == name
