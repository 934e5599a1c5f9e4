#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/corpus/ that are not images (those are made by makeimages.cpp).

Run from anywhere: python3 fuzz/makeseeds.py. Deterministic; only the standard library. Each seed is a
small valid input (or one with a deliberate oddity the reader must accept), so the fuzzers start inside
the formats rather than at their first check.
"""

import gzip
import io
import json
import os
import struct
import tarfile

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def file_set(files):
    """The fuzz targets' file-set format (fuzzsupport.h): '==> NAME <==' before each file."""
    out = b""
    for i, (name, content) in enumerate(files):
        if isinstance(content, str):
            content = content.encode("utf-8")
        out += (b"\n" if i else b"") + b"==> " + name.encode() + b" <==\n" + content
    return out


# ---- safetensors ----------------------------------------------------------------------------------------

DTYPE_SIZE = {"F32": 4, "F16": 2, "BF16": 2, "F64": 8, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}


def safetensors(tensors, metadata=None):
    """tensors: list of (name, dtype, shape); the data is a simple ramp, so the file stays deterministic."""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    data = b""
    for name, dtype, shape in tensors:
        count = 1
        for d in shape:
            count *= d
        size = count * DTYPE_SIZE[dtype]
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [len(data), len(data) + size]}
        if dtype == "F16":  # small values (1/64 steps), as weights would be
            data += b"".join(struct.pack("<e", ((i % 7) - 3) / 64.0) for i in range(count))
        elif dtype == "F32":
            data += b"".join(struct.pack("<f", ((i % 7) - 3) / 64.0) for i in range(count))
        else:
            data += bytes((i % 251) for i in range(size))
    text = json.dumps(header, separators=(",", ":"))
    text += " " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text.encode() + data


# A tiny CLIP: widths 8, one block per tower, 4 px images in 2 px patches, 4 text positions, 16 tokens.
W, MLP, D, VOCAB, CTX, IMAGE, PATCH = 8, 16, 4, 16, 4, 4, 2
GRID = IMAGE // PATCH


def openai_names(dtype="F16"):
    t = [("visual.class_embedding", dtype, [W]),
         ("visual.positional_embedding", dtype, [GRID * GRID + 1, W]),
         ("visual.proj", dtype, [W, D]),
         ("visual.conv1.weight", dtype, [W, 3, PATCH, PATCH]),
         ("visual.ln_pre.weight", dtype, [W]), ("visual.ln_pre.bias", dtype, [W]),
         ("visual.ln_post.weight", dtype, [W]), ("visual.ln_post.bias", dtype, [W])]
    for prefix in ("visual.transformer.resblocks.0.", "transformer.resblocks.0."):
        t += [(prefix + "attn.in_proj_weight", dtype, [3 * W, W]), (prefix + "attn.in_proj_bias", dtype, [3 * W]),
              (prefix + "attn.out_proj.weight", dtype, [W, W]), (prefix + "attn.out_proj.bias", dtype, [W]),
              (prefix + "ln_1.weight", dtype, [W]), (prefix + "ln_1.bias", dtype, [W]),
              (prefix + "ln_2.weight", dtype, [W]), (prefix + "ln_2.bias", dtype, [W]),
              (prefix + "mlp.c_fc.weight", dtype, [MLP, W]), (prefix + "mlp.c_fc.bias", dtype, [MLP]),
              (prefix + "mlp.c_proj.weight", dtype, [W, MLP]), (prefix + "mlp.c_proj.bias", dtype, [W])]
    t += [("token_embedding.weight", dtype, [VOCAB, W]), ("positional_embedding", dtype, [CTX, W]),
          ("ln_final.weight", dtype, [W]), ("ln_final.bias", dtype, [W]),
          ("text_projection", dtype, [W, D]), ("logit_scale", "F32", [])]
    return t


def huggingface_names(dtype="F16"):
    t = [("vision_model.embeddings.class_embedding", dtype, [W]),
         ("vision_model.embeddings.patch_embedding.weight", dtype, [W, 3, PATCH, PATCH]),
         ("vision_model.embeddings.position_embedding.weight", dtype, [GRID * GRID + 1, W]),
         ("vision_model.embeddings.position_ids", "I64", [1, GRID * GRID + 1]),
         ("vision_model.pre_layrnorm.weight", dtype, [W]), ("vision_model.pre_layrnorm.bias", dtype, [W]),
         ("vision_model.post_layernorm.weight", dtype, [W]), ("vision_model.post_layernorm.bias", dtype, [W]),
         ("visual_projection.weight", dtype, [D, W]),
         ("text_model.embeddings.token_embedding.weight", dtype, [VOCAB, W]),
         ("text_model.embeddings.position_embedding.weight", dtype, [CTX, W]),
         ("text_model.final_layer_norm.weight", dtype, [W]), ("text_model.final_layer_norm.bias", dtype, [W]),
         ("text_projection.weight", dtype, [D, W]), ("logit_scale", dtype, [])]
    for prefix in ("vision_model.encoder.layers.0.", "text_model.encoder.layers.0."):
        for p in ("q_proj", "k_proj", "v_proj", "out_proj"):
            t += [(prefix + "self_attn." + p + ".weight", dtype, [W, W]), (prefix + "self_attn." + p + ".bias", dtype, [W])]
        t += [(prefix + "layer_norm1.weight", dtype, [W]), (prefix + "layer_norm1.bias", dtype, [W]),
              (prefix + "layer_norm2.weight", dtype, [W]), (prefix + "layer_norm2.bias", dtype, [W]),
              (prefix + "mlp.fc1.weight", dtype, [MLP, W]), (prefix + "mlp.fc1.bias", dtype, [MLP]),
              (prefix + "mlp.fc2.weight", dtype, [W, MLP]), (prefix + "mlp.fc2.bias", dtype, [W])]
    return t


def make_safetensors():
    write("safetensors", "tiny.safetensors",
          safetensors([("a", "F32", [2, 2]), ("b", "BF16", [3]), ("ids", "I64", [1, 2]), ("scale", "F16", []),
                       ("empty", "U8", [0, 5])], metadata={"format": "pt"}))
    write("safetensors", "no-tensors.safetensors", safetensors([]))
    write("safetensors", "clip-openai.safetensors", safetensors(openai_names()))


def make_modelimport():
    hf_config = {
        "projection_dim": D,
        "text_config": {"hidden_size": W, "intermediate_size": MLP, "num_attention_heads": 2,
                        "num_hidden_layers": 1, "max_position_embeddings": CTX, "vocab_size": VOCAB,
                        "hidden_act": "quick_gelu", "layer_norm_eps": 1e-5},
        "vision_config": {"hidden_size": W, "intermediate_size": MLP, "num_attention_heads": 2,
                          "num_hidden_layers": 1, "image_size": IMAGE, "patch_size": PATCH,
                          "hidden_act": "quick_gelu"},
    }
    preprocessor = {"image_mean": [0.5, 0.5, 0.5], "image_std": [0.25, 0.25, 0.25]}
    write("modelimport", "huggingface", file_set([
        ("config.json", json.dumps(hf_config, indent=1)),
        ("preprocessor_config.json", json.dumps(preprocessor)),
        ("model.safetensors", safetensors(huggingface_names()))]))
    openclip = {"model_cfg": {"embed_dim": D, "quick_gelu": False,
                              "vision_cfg": {"image_size": IMAGE, "layers": 1, "width": W, "patch_size": PATCH,
                                             "head_width": 4},
                              "text_cfg": {"context_length": CTX, "vocab_size": VOCAB, "width": W, "heads": 2,
                                           "layers": 1}},
                "preprocess_cfg": {"mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]}}
    write("modelimport", "openclip", file_set([
        ("open_clip_config.json", json.dumps(openclip, indent=1)),
        ("open_clip_model.safetensors", safetensors(openai_names("BF16")))]))
    lodestone = {"format": "lodestone-checkpoint", "config": {
        "name": "seed", "embed_dim": D, "activation": "gelu", "layer_norm_eps": 1e-5,
        "vision": {"tower": "vit", "image_size": IMAGE, "patch_size": PATCH, "width": W, "layers": 1,
                   "heads": 2, "mlp_width": MLP},
        "text": {"context_length": CTX, "vocab_size": VOCAB, "width": W, "layers": 1, "heads": 2,
                 "mlp_width": MLP, "end_token": VOCAB - 1},
        "preprocess": {"image_size": IMAGE, "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]}}}
    write("modelimport", "lodestone", file_set([
        ("lodestone.json", json.dumps(lodestone, indent=1)),
        ("model.safetensors", safetensors(openai_names("F32")))]))
    write("modelimport", "bare", file_set([("weights.safetensors", safetensors(openai_names()))]))


# ---- tokenizer vocabularies -----------------------------------------------------------------------------

def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return bs, [chr(c) for c in cs]


MERGES = [("a", "t</w>"), ("c", "at</w>"), ("t", "h"), ("th", "e</w>"), ("o", "f</w>"), ("p", "h"), ("ph", "o"),
          ("t", "o</w>"), ("pho", "to</w>"), ("d", "o"), ("do", "g</w>")]


def make_vocab():
    _, chars = bytes_to_unicode()
    vocab = chars + [c + "</w>" for c in chars] + [l + r for l, r in MERGES] + ["<|startoftext|>", "<|endoftext|>"]
    encoder = {token: i for i, token in enumerate(vocab)}
    merges = "#version: 0.2\n" + "".join(l + " " + r + "\n" for l, r in MERGES)
    text = "a photo of the cat &amp; the dog"
    write("vocab", "huggingface", file_set([("vocab.json", json.dumps(encoder, ensure_ascii=False)),
                                             ("merges.txt", merges), ("text", text)]))
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as f:
        f.write(("\"bpe_simple_vocab_16e6.txt#version: 0.2\n" + "".join(l + " " + r + "\n" for l, r in MERGES)).encode())
    write("vocab", "openai-gz", file_set([("bpe_simple_vocab_16e6.txt.gz", buffer.getvalue()), ("text", text)]))


def make_tokenizer():
    write("tokenizer", "plain", "a photo of a cat")
    write("tokenizer", "html", "Fish &amp;amp; chips &lt;b&gt;bold&lt;/b&gt; &#39;quoted&#39; &nbsp; &#x1F600;")
    write("tokenizer", "unicode", "Ünïcödé façade naïve café 東京 смотреть 🐶🐱 e\u0301 \u00a0\u200b tab\tnew\nline")
    write("tokenizer", "special", "<|startoftext|>dogs<|endoftext|> don't it's we'll I'M 1234567 x²")
    write("tokenizer", "long-word", "supercalifragilisticexpialidocious" * 8)


# ---- caption sources ------------------------------------------------------------------------------------

def make_csv():
    write("csv", "captions.csv",
          "\ufeffpath,caption,extra\n"
          "a.jpg,a photo of a cat,1\n"
          "\"a.jpg\",\"a caption, with a comma\",\"2\"\r\n"
          "a.jpg,\"quoted \"\"word\"\" and\nnewline\",3\n"
          "missing.jpg,not there,4\n"
          ",no image,5\n"
          "a.jpg,,6\n"
          "a.jpg,unterminated \"quote inside\n")
    write("csv", "captions.tsv", "text\tfile_name\ta dog on grass\ta.jpg\n\"tab\tinside\"\ta.jpg\n")


def make_coco():
    coco = {"images": [{"id": 1, "file_name": "a.jpg"}, {"id": "two", "file_name": "b.png"},
                       {"id": 3, "file_name": "missing.jpg"}],
            "annotations": [{"image_id": 1, "caption": "A cat on a sofa."},
                            {"image_id": "two", "caption": " two dogs "},
                            {"image_id": 3, "caption": "gone"},
                            {"image_id": 9, "caption": "unknown image"},
                            {"image_id": 1, "caption": ""},
                            {"image_id": 1}]}
    write("coco", "captions.json", json.dumps(coco, indent=1))


def make_webdataset():
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        def add(name, data):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
        add("__meta__.json", b"{}")
        add("0001.jpg", b"\xff\xd8\xff\xe0fake jpeg")
        add("0001.txt", b"a photo of  a cat\n")
        add("0001.cls", b"3")
        add("sub/0002.png", b"\x89PNG fake")
        add("sub/0002.webp", b"RIFF fake")
        add("sub/0002.txt", b"two dogs")
        add("0003.txt", b"no image for this one")
        add("0004.jpeg", b"\xff\xd8\xff no caption")
    write("webdataset", "shard.tar", buffer.getvalue())
    write("shardpattern", "range", "shards/part-{000..011}.tar")
    write("shardpattern", "nested", "{a,b{1,2},c}/x-{9..7}-{y}.tar")
    write("shardpattern", "plain", "/data/shard-000.tar")


def make_query():
    for i, q in enumerate(['"golden retriever" + 0.5 * image:/photos/pool.jpg - "fruit"',
                           "dog - puppy + cat",
                           'image:"/photos/with spaces.jpg" + 2*photo:42',
                           "-1e-3 * t-shirt c++ +   3 dogs",
                           '"esc \\"quoted\\" \\\\ C:\\path" - photo:0007 + .5*x']):
        write("query", "q%d" % i, q)


# ---- NumPy ----------------------------------------------------------------------------------------------

def npy(major, descr, shape, payload):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape)
    prefix = 10 if major == 1 else 12
    header += " " * ((64 - (prefix + len(header) + 1) % 64) % 64) + "\n"
    length = struct.pack("<H", len(header)) if major == 1 else struct.pack("<I", len(header))
    return b"\x93NUMPY" + bytes([major, 0]) + length + header.encode() + payload


def make_npy():
    write("npy", "f4.npy", npy(1, "<f4", "(2, 3)", struct.pack("<6f", *range(6))))
    write("npy", "f2.npy", npy(2, "<f2", "(4,)", struct.pack("<4e", 0.5, -1.0, 65504.0, 1e-7)))
    write("npy", "f8.npy", npy(3, "<f8", "()", struct.pack("<d", 3.25)))


if __name__ == "__main__":
    make_safetensors()
    make_modelimport()
    make_vocab()
    make_tokenizer()
    make_csv()
    make_coco()
    make_webdataset()
    make_query()
    make_npy()
