/* analysis._minhash: the MinHash values of analysis.dedup's shingles, compiled.
 *
 * One function, sketch(), computes what analysis.dedup._Sketches computes with NumPy
 * (the CRC-32 of each word, the hashes of word 3-grams and character 4-grams, MurmurHash3's
 * finalizer, datasketch's affine32 permutations, the minima per prefix), bit for bit:
 * tests/unit/analysis/test_minhash_extension.py compares the two on random and real text.
 * analysis.dedup uses it when it is built and falls back to NumPy when it is not.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* The multipliers of analysis.dedup._K: one per unit of a shingle. */
static const uint64_t K[5] = {
    0x9E3779B97F4A7C15ULL, 0xC2B2AE3D27D4EB4FULL, 0x165667B19E3779F9ULL,
    0xD6E8FEB86659FD93ULL, 0xFF51AFD7ED558CCDULL,
};
#define MAX_K 5
#define MAX_PREFIXES 8

static uint32_t crc_table[256];

static void crc_init(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int i = 0; i < 8; i++)
            c = (c & 1) ? 0xEDB88320U ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

/* zlib.crc32 of the bytes (the CRC-32 of ISO 3309 / ITU-T V.42). */
static uint32_t crc32_of(const unsigned char *p, Py_ssize_t n)
{
    uint32_t c = 0xFFFFFFFFU;
    while (n-- > 0)
        c = crc_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFU;
}

/* analysis.dedup._grams of the k values from v, of which the first `avail` are there
 * and the others zeros (_padded_gram), then _fmix32. */
static inline uint32_t shingle(const uint64_t *v, Py_ssize_t avail, int k, uint64_t salt)
{
    uint64_t h = salt;
    for (int i = 0; i < k; i++)
        h = (h ^ (i < avail ? v[i] : 0)) * K[i];
    uint32_t x = (uint32_t)(h ^ (h >> 31));
    x ^= x >> 16;
    x *= 0x85EBCA6BU;
    x ^= x >> 13;
    x *= 0xC2B2AE35U;
    x ^= x >> 16;
    return x;
}

static inline void permute_min(uint32_t *restrict least, const uint32_t *restrict a,
                               const uint32_t *restrict b, Py_ssize_t perms, uint32_t h)
{
    for (Py_ssize_t j = 0; j < perms; j++) {
        uint32_t v = a[j] * h + b[j];
        least[j] = v < least[j] ? v : least[j];
    }
}

/* Per prefix i (its first ns[i] units), the least permuted hash of its shingles into
 * out[i * perms ...]; found[i] says whether it has any (a prefix shorter than k has one,
 * zero-padded; an empty one none). */
static void minima(const uint64_t *units, Py_ssize_t n_units, int k, uint64_t salt,
                   const Py_ssize_t *ns, int count, const uint32_t *a, const uint32_t *b,
                   Py_ssize_t perms, uint32_t *least, uint32_t *out, int *found)
{
    Py_ssize_t ends[MAX_PREFIXES];  /* shingles per prefix, -1 for none or padded */
    Py_ssize_t most = 0;
    for (int i = 0; i < count; i++) {
        Py_ssize_t n = ns[i] < n_units ? ns[i] : n_units;
        found[i] = n > 0;
        ends[i] = -1;
        if (n <= 0)
            continue;
        if (n < k) {
            uint32_t *row = out + i * perms;
            for (Py_ssize_t j = 0; j < perms; j++)
                row[j] = 0xFFFFFFFFU;
            permute_min(row, a, b, perms, shingle(units, n, k, salt));
        }
        else {
            ends[i] = n - k + 1;
            if (ends[i] > most)
                most = ends[i];
        }
    }
    if (most == 0)
        return;
    for (Py_ssize_t j = 0; j < perms; j++)
        least[j] = 0xFFFFFFFFU;
    Py_ssize_t s = 0;
    for (;;) {
        /* the next prefix end after the shingles taken so far */
        Py_ssize_t next = most;
        for (int i = 0; i < count; i++)
            if (ends[i] > s && ends[i] < next)
                next = ends[i];
        for (; s < next; s++)
            permute_min(least, a, b, perms, shingle(units + s, k, k, salt));
        for (int i = 0; i < count; i++)
            if (ends[i] == s)
                memcpy(out + i * perms, least, (size_t)perms * sizeof(uint32_t));
        if (s == most)
            break;
    }
}

static int read_prefixes(PyObject *seq, Py_ssize_t *words, Py_ssize_t *chars, int *count)
{
    PyObject *fast = PySequence_Fast(seq, "prefixes must be a sequence of (words, chars)");
    if (fast == NULL)
        return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    if (n < 1 || n > MAX_PREFIXES) {
        Py_DECREF(fast);
        PyErr_Format(PyExc_ValueError, "1 to %d prefixes", MAX_PREFIXES);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(fast, i), "nn", &words[i], &chars[i])) {
            Py_DECREF(fast);
            return -1;
        }
    }
    *count = (int)n;
    Py_DECREF(fast);
    return 0;
}

static PyObject *le_bytes(const uint32_t *values, Py_ssize_t n)
{
    PyObject *out = PyBytes_FromStringAndSize(NULL, 4 * n);
    if (out == NULL)
        return NULL;
    unsigned char *p = (unsigned char *)PyBytes_AS_STRING(out);
    for (Py_ssize_t j = 0; j < n; j++) {
        p[4 * j] = (unsigned char)values[j];
        p[4 * j + 1] = (unsigned char)(values[j] >> 8);
        p[4 * j + 2] = (unsigned char)(values[j] >> 16);
        p[4 * j + 3] = (unsigned char)(values[j] >> 24);
    }
    return out;
}

PyDoc_STRVAR(sketch_doc,
"sketch(words, chars, prefixes, a, b, word_grams, char_grams) -> list[bytes | None]\n\n"
"MinHash values of the first n_words words and n_chars characters per (n_words,\n"
"n_chars) of prefixes, as num_perm little-endian uint32 (None without any shingle).\n"
"words: a list of bytes; chars: the code points as native uint64; a, b: the\n"
"permutations as native uint32; word_grams, char_grams: (k, salt).");

static PyObject *sketch(PyObject *self, PyObject *args)
{
    PyObject *words, *prefixes;
    Py_buffer chars, a, b;
    int word_k, char_k;
    unsigned long long word_salt, char_salt;
    if (!PyArg_ParseTuple(args, "O!y*Oy*y*(iK)(iK)", &PyList_Type, &words, &chars, &prefixes,
                          &a, &b, &word_k, &word_salt, &char_k, &char_salt))
        return NULL;
    PyObject *result = NULL;
    uint64_t *crcs = NULL;
    uint32_t *word_min = NULL, *char_min = NULL, *least = NULL;
    Py_ssize_t perms = a.len / 4;
    Py_ssize_t pw[MAX_PREFIXES], pc[MAX_PREFIXES];
    int count = 0, word_found[MAX_PREFIXES], char_found[MAX_PREFIXES];
    if (a.len != b.len || a.len % 4 || perms < 1 || chars.len % 8) {
        PyErr_SetString(PyExc_ValueError, "a and b: as many uint32; chars: uint64");
        goto done;
    }
    if (word_k < 1 || word_k > MAX_K || char_k < 1 || char_k > MAX_K) {
        PyErr_Format(PyExc_ValueError, "shingles of 1 to %d units", MAX_K);
        goto done;
    }
    if (read_prefixes(prefixes, pw, pc, &count) < 0)
        goto done;
    Py_ssize_t n_words = PyList_GET_SIZE(words);
    crcs = PyMem_Malloc(sizeof(uint64_t) * (size_t)(n_words ? n_words : 1));
    word_min = PyMem_Malloc(sizeof(uint32_t) * (size_t)(count * perms));
    char_min = PyMem_Malloc(sizeof(uint32_t) * (size_t)(count * perms));
    least = PyMem_Malloc(sizeof(uint32_t) * (size_t)perms);
    if (crcs == NULL || word_min == NULL || char_min == NULL || least == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n_words; i++) {
        PyObject *word = PyList_GET_ITEM(words, i);
        if (!PyBytes_Check(word)) {
            PyErr_SetString(PyExc_TypeError, "words must be bytes");
            goto done;
        }
        crcs[i] = crc32_of((const unsigned char *)PyBytes_AS_STRING(word),
                           PyBytes_GET_SIZE(word));
    }
    minima(crcs, n_words, word_k, (uint64_t)word_salt, pw, count, a.buf, b.buf, perms,
           least, word_min, word_found);
    minima(chars.buf, chars.len / 8, char_k, (uint64_t)char_salt, pc, count, a.buf, b.buf,
           perms, least, char_min, char_found);
    result = PyList_New(count);
    if (result == NULL)
        goto done;
    for (int i = 0; i < count; i++) {
        uint32_t *w = word_min + i * perms, *c = char_min + i * perms;
        PyObject *item;
        if (word_found[i] && char_found[i]) {
            for (Py_ssize_t j = 0; j < perms; j++)
                w[j] = c[j] < w[j] ? c[j] : w[j];
            item = le_bytes(w, perms);
        }
        else if (word_found[i])
            item = le_bytes(w, perms);
        else if (char_found[i])
            item = le_bytes(c, perms);
        else
            item = Py_NewRef(Py_None);
        if (item == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, i, item);
    }
done:
    PyMem_Free(crcs);
    PyMem_Free(word_min);
    PyMem_Free(char_min);
    PyMem_Free(least);
    PyBuffer_Release(&chars);
    PyBuffer_Release(&a);
    PyBuffer_Release(&b);
    return result;
}

static PyMethodDef methods[] = {
    {"sketch", sketch, METH_VARARGS, sketch_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "analysis._minhash",
    "MinHash values of analysis.dedup's shingles, compiled (see analysis.dedup).", -1,
    methods,
};

PyMODINIT_FUNC PyInit__minhash(void)
{
    crc_init();
    return PyModule_Create(&module);
}
