// MiniLM's token count of a text: the WordPiece ids it embeds ([CLS] ... [SEP], truncated to the model's length).

extension MiniLMEmbedder {
  public func tokenCount(_ text: String) -> Int? { tokenizer.encode(text).count }
}
