// Text embedders: the TextEmbedder interface, WordPiece tokenizer and all-MiniLM-L6-v2.
import Tensor
