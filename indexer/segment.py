"""A Whoosh segment writer for prepared documents that does most of its work as documents arrive.

Whoosh's ``SegmentWriter`` buffers every posting, sorts them all at commit
and then encodes each posting list through one Python call per posting:
on 101,194 law articles that commit alone ran for minutes after the last
document was read. ``PreparedSegmentWriter`` keeps postings per term as
they arrive (documents come in document-number order, so each list is
already sorted) and encodes each full block of 128 postings as soon as it
fills, while the analysing process is still preparing the next documents;
the commit is left with sorting the terms and writing each list's last
block. What it writes reads back as exactly what Whoosh's writer writes:
the same codec, block layout and term infos, every term, posting, length,
stored field and column equal (``tests/test_prepared.py``); only the bytes
of the blocks differ, small ones left uncompressed and the others
compressed with a smaller zlib window (see ``COMPRESS_FROM``).

Only for a fresh segment: a writer with segments to merge or documents to
delete goes through Whoosh's own path.
"""

from __future__ import annotations

import zlib
from array import array
from pickle import dumps

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.util.numlists import delta_encode
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.writing import SegmentWriter

# One term's postings while the segment is written: [ids, weights, values, finished blocks
# (None until the first: most terms never fill one)]; a finished block is (info bytes,
# data bytes, (count, weight sum, min length, max length, max weight, first id, last id)).
IDS, WEIGHTS, VALUES, BLOCKS = range(4)

# Blocks whose pickle is shorter are stored uncompressed (the block says so and
# readers skip ``zlib.decompress``): zlib costs about 55 µs a call whatever the
# size, and saved 4 bytes of 92 on a typical small block.
COMPRESS_FROM = 256


def _mini_weights(weights: array):
    """As ``W3PostingsWriter._mini_weights``: None if all 1.0, one float if all equal."""
    if all(w == 1.0 for w in weights):
        return None
    if all(w == weights[0] for w in weights):
        return weights[0]
    return tuple(weights)


def encode_block(ids: array, weights: array, values: list, lengths: list, fixedsize, compression: int) -> tuple:
    """``(info bytes, data bytes, stats)`` of one block, as ``W3PostingsWriter._write_block`` makes it
    (except that a small block is not compressed); ``lengths`` are the documents' field lengths."""
    if fixedsize is None or fixedsize < 0:
        mini_values = tuple(values)
    elif fixedsize == 0:
        mini_values = None
    else:
        mini_values = b"".join(values)
    data = dumps((tuple(delta_encode(ids)), _mini_weights(weights), mini_values), 2)
    if len(data) < COMPRESS_FROM:
        compression = 0
    if compression:
        data = _compress(data, compression)
    present = [n for n in lengths if n]
    minlength, maxlength = (min(present), max(present)) if present else (None, 0)
    maxweight = max(0, *weights)
    info = dumps((len(ids), ids[-1], maxweight, compression, length_to_byte(minlength), length_to_byte(maxlength)), 2)
    return info, data, (len(ids), sum(weights), minlength, maxlength, maxweight, ids[0], ids[-1])


def _compress(data: bytes, level: int) -> bytes:
    """A zlib stream with a 4 KiB window and a small state: a third cheaper to set up than
    ``zlib.compress`` on a block of postings, within 2 % of its size; ``zlib.decompress``
    (the reader) reads any window size."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, 12, 2)
    return compressor.compress(data) + compressor.flush()


def _array(typecode: str, data: bytes) -> array:
    values = array(typecode)
    values.frombytes(data)
    return values


def _postings_bytes(blocks: list) -> bytes:
    """A posting list as ``W3PostingsWriter`` writes it: the header, then each block's length
    (negative for the last), info and data."""
    parts = [WHOOSH3_HEADER_MAGIC]
    for info, data, _ in blocks:
        parts += [pack_int(len(info) + len(data)), info, data]
    parts[-3] = pack_int(-(len(blocks[-1][0]) + len(blocks[-1][1])))
    return b"".join(parts)


def _term_info_bytes(blocks: list, offset: int, length: int) -> bytes:
    """``W3TermInfo.to_bytes`` of the term info ``add_block`` accumulates over ``blocks``."""
    weight = df = maxlength = maxweight = 0
    minlength = None
    for _, _, (count, block_weight, block_min, block_max, block_maxweight, _, _) in blocks:
        weight += block_weight
        df += count
        minlength = block_min if minlength is None else min(minlength, block_min)
        maxlength = max(maxlength, block_max)
        maxweight = max(maxweight, block_maxweight)
    first, last = blocks[0][2][5], blocks[-1][2][6]
    minlength = 0 if minlength is None else length_to_byte(minlength)
    packed = W3TermInfo._struct.pack(False, weight, df, minlength, length_to_byte(maxlength), maxweight, first, last)
    return packed + pack_long(offset) + pack_int(length)


class PreparedSegmentWriter(SegmentWriter):
    """Write prepared batches (``indexer.prepared``) into one new segment of a fresh index."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        if self.segments:
            raise ValueError("PreparedSegmentWriter writes fresh indexes only")
        self._terms: dict[str, dict[bytes, list]] = {}
        # Field name → the length of that field in each document, as stored (one byte, decoded).
        self._lengths: dict[str, array] = {}
        self._blocklimit = self.codec._blocklimit
        self._compression = self.codec._compression

    def add_batch(self, batch) -> None:
        """Add one ``PreparedBatch`` (or the plain tuple of it): its documents' fields to the
        per-document files, its postings to the term lists, full blocks encoded at once."""
        self._check_state()
        first, postings, documents = batch
        if first != self.docnum:
            raise ValueError(f"batch starts at document {first}, expected {self.docnum}")
        for fields in documents:
            self._add_fields(fields)
        for name, (terms, counts, ids, weights, values) in postings.items():
            self._merge(name, terms, _array("I", counts), _array("I", ids), _array("f", weights), values)

    def _merge(self, name: str, terms: list, counts: array, ids: array, weights: array, values: list) -> None:
        """Append a batch's postings of field ``name`` (flat, term after term) to the term lists."""
        mine = self._terms.get(name)
        if mine is None:
            mine = self._terms[name] = {}
        at = 0
        for term, count in zip(terms, counts):
            end = at + count
            held = mine.get(term)
            if held is None:
                held = mine[term] = [ids[at:end], weights[at:end], values[at:end], None]
            else:
                held[IDS].extend(ids[at:end])
                held[WEIGHTS].extend(weights[at:end])
                held[VALUES].extend(values[at:end])
            if len(held[IDS]) >= self._blocklimit:
                self._encode_full_blocks(name, held)
            at = end

    def _encode_full_blocks(self, name: str, held: list) -> None:
        limit, fixedsize = self._blocklimit, self.schema[name].format.fixed_value_size()
        lengths = self._lengths.get(name)
        while len(held[IDS]) >= limit:
            ids, weights, values = held[IDS][:limit], held[WEIGHTS][:limit], held[VALUES][:limit]
            field_lengths = [lengths[d] for d in ids] if lengths else []
            if held[BLOCKS] is None:
                held[BLOCKS] = []
            held[BLOCKS].append(encode_block(ids, weights, values, field_lengths, fixedsize, self._compression))
            del held[IDS][:limit], held[WEIGHTS][:limit], held[VALUES][:limit]

    def _add_fields(self, fields) -> None:
        perdoc, schema, docnum = self.perdocwriter, self.schema, self.docnum
        perdoc.start_doc(docnum)
        for name, stored, length, column in fields:
            field = schema[name]
            perdoc.add_field(name, field, stored, length)
            if length:
                lengths = self._lengths.get(name)
                if lengths is None:
                    lengths = self._lengths[name] = array("I")
                lengths.extend([0] * (docnum - len(lengths)))
                lengths.append(byte_to_length(length_to_byte(length)))
            if column is not None:
                perdoc.add_column_value(name, field.column_type, column)
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        """Write every term's blocks and term info, fields and terms in order."""
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        postfile, tindex = fieldwriter._postfile, fieldwriter._tindex
        offset = postfile.tell()
        for name in sorted(self._terms):
            fieldwriter.start_field(name, self.schema[name])
            prefix = pack_ushort(fieldwriter._fieldid)
            fixedsize = self.schema[name].format.fixed_value_size()
            lengths, terms = self._lengths.get(name), self._terms[name]
            for tbytes in sorted(terms):
                ids, weights, values, blocks = terms.pop(tbytes)
                blocks = blocks or []
                if ids:
                    field_lengths = [lengths[d] if d < len(lengths) else 0 for d in ids] if lengths else []
                    blocks.append(encode_block(ids, weights, values, field_lengths, fixedsize, self._compression))
                data = _postings_bytes(blocks)
                postfile.write(data)
                tindex.add(prefix + tbytes, _term_info_bytes(blocks, offset, len(data)))
                offset += len(data)
            fieldwriter.finish_field()
        fieldwriter.close()
