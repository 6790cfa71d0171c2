import json

from golive.canonical import canonical_json, digest, hashes_to


def test_canonical_json_sorts_keys_and_drops_whitespace() -> None:
    assert canonical_json({"b": 1, "a": [1.0, "é", None]}) == '{"a":[1,"é",null],"b":1}'.encode()


def test_digest_is_independent_of_key_order() -> None:
    assert digest({"a": 1, "b": 2}) == digest({"b": 2, "a": 1})
    assert digest({"a": 1}) != digest({"a": 2})


def test_hashes_to_refuses_an_altered_document_in_any_spelling() -> None:
    document = {"b": [1, 2.5, "é"], "a": {"x": None}}
    sha = digest(document)
    altered = {**document, "a": {"x": 1}}
    for text in (canonical_json(altered).decode("utf-8"), json.dumps(altered, indent=2)):
        assert not hashes_to(text, sha)
    assert not hashes_to(canonical_json(document).decode("utf-8"), digest(altered))


def test_hashes_to_accepts_the_canonical_text_and_any_other_spelling_of_the_document() -> None:
    document = {"b": [1, 2.5, "é"], "a": {"x": None}}
    sha = digest(document)
    assert hashes_to(canonical_json(document).decode("utf-8"), sha)
    # Not golive's spelling (key order, spaces, escapes): judged by the document it holds.
    assert hashes_to(json.dumps(document, indent=2, ensure_ascii=True), sha)
