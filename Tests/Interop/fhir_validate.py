#!/usr/bin/env python3
"""Validates FHIR R4 JSON documents with fhir.resources 6.4.0 (an independent implementation).

  fhir_validate.py FILE...   each FILE holds one resource (typically a Bundle); every entry's
                             resource is validated as its own resourceType as well.
Prints one line per file, "ok" or the validator's errors, and exits 1 if any file is invalid.
"""
import json
import sys

from fhir.resources import construct_fhir_element, __fhir_version__
from pydantic import ValidationError

assert __fhir_version__ == "4.0.1", __fhir_version__

failed = False
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    try:
        construct_fhir_element(document["resourceType"], document)
        for entry in document.get("entry", []):
            resource = entry["resource"]
            construct_fhir_element(resource["resourceType"], resource)
        print(f"{path}: ok")
    except (ValidationError, KeyError, LookupError) as error:
        failed = True
        print(f"{path}: invalid: {error}".replace("\n", " | "))
sys.exit(1 if failed else 0)
