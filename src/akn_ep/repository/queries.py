"""The XQuery texts publish runs, each with external variables bound as strings.

``docs/repository.md`` explains them; the hash records live under
:data:`~akn_ep.repository.paths.META_ROOT`, in the namespace :data:`META_NS`.
"""

from __future__ import annotations

#: Namespace of the hash records (``<published path=… sha256=… iri=…/>``).
META_NS = "urn:akn-ep:publish"


Q_ENSURE_DB = """
declare variable $db external;
if (db:exists($db)) then () else db:create($db)
"""

Q_STATE = f"""
declare namespace m = "{META_NS}";
declare variable $db external;
declare variable $meta external;
string-join((
  for $p in db:list($db) return "R " || $p,
  for $h in db:open($db, $meta)/m:published return "H " || $h/@sha256 || " " || $h/@path
), "&#10;")
"""

# One transaction per batch: each document and its hash record change together, and the
# whole batch is stored or not at all. $batch is <batch><doc path= iri= sha256=>TEXT</doc>…,
# each TEXT a document as an escaped string starting with "<", which db:replace parses as
# content (never as a file name); chop=false keeps every whitespace text node (BaseX 9
# drops them by default).
Q_PUT = f"""
declare variable $db external;
declare variable $meta external;
declare variable $batch external;
for $d in parse-xml($batch)/batch/doc
let $path := string($d/@path)
return (
  db:replace($db, $path, string($d), map {{ "chop": false(), "stripns": false() }}),
  db:replace($db, $meta || "/" || $path,
    <published xmlns="{META_NS}" path="{{$path}}" iri="{{$d/@iri}}" sha256="{{$d/@sha256}}"
               at="{{current-dateTime()}}"/>)
)
"""

Q_FETCH = """
declare option output:indent "no";
declare option output:omit-xml-declaration "yes";
declare variable $db external;
declare variable $path external;
db:open($db, $path)
"""

Q_DELETE = """
declare variable $db external;
declare variable $paths external;
for $p in tokenize($paths, "&#10;")[.] return db:delete($db, $p)
"""
