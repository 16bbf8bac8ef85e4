"""Places: the bundled gazetteer, name normalising, the matcher and the reconciliation rules.

``names`` (the one :func:`~sitrep.places.names.normal_form`) is imported by the filter language, so
this package imports nothing on its own: the gazetteer file is read on first use only.

=============  ================================================================
``names``      normal_form(), scripts, Ukrainian/Russian → Latin transliteration
``regions``    the oblasts and their names in text; region codes
``inflect``    Ukrainian and Russian case endings (a suffix table)
``gazetteer``  the bundled GeoNames places of Ukraine; lookup; to_settlement
``sources``    GeoNames rows → gazetteer rows (build time, and the world extra)
``matcher``    PlaceMatcher: the DB's settlements named in a text
``reconcile``  are two settlement records one place? duplicates in a DB
=============  ================================================================
"""
