"""Reports and exports: records in, text or bytes out, for the desk, the map team and the CTI
platform. Pure: no store, no I/O, no clock (the caller passes ``generated_at``).

==================  ===================================================================
``view``            :class:`View`: what to export (already filtered and as-of'd) and its scope
``fields``          a record's fields read safely (hand edits and hostile files included)
``encoding``        data made safe in each output syntax (terminal text, JSON, Markdown)
``ids``             deterministic UUIDv5 ids for STIX and MISP objects
``report``          the SITREP's content; ``report_text`` and ``report_markdown`` render it
``csv_export``      RFC 4180 tables of claims, settlements or sources
``geojson_export``  an RFC 7946 FeatureCollection of settlements and located claims
``kml_export``      KML 2.2 placemarks with control over time
``stix_export``     a STIX 2.1 bundle (``stix2``, the ``exports`` extra)
``misp_export``     a MISP core-format event
``feed_export``     the sitrep feed of a view
``formats``         every format by name, and the report, imported only when asked for
==================  ===================================================================
"""
