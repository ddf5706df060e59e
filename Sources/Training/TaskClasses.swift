// The classes of a Categorical/Text task: the distinct vocabulary ids of its train split's labels. Fine-tuning
// and evaluation rank a target cell against these (and the batch's true labels), as a classifier would, instead
// of against whatever values the batch happens to show.
// Refuses: nothing; other target types have no classes (nil).
import DatabaseSpec
import Store

public enum TaskClasses {
  /// Sorted vocabulary ids of the train split's labels, or nil when the target is not Categorical/Text.
  public static func vocabularyIds(task: String, in database: ProcessedDatabase) throws -> [Int32]? {
    let (info, file) = try database.task(named: task)
    guard info.targetType == .categorical || info.targetType == .text else { return nil }
    let labels = try file.array("label_vocab", as: Int32.self)
    let splits = try file.array("split", as: UInt8.self)
    var classes = Set<Int32>()
    for (label, split) in zip(labels, splits) where split == 0 && label >= 0 { classes.insert(label) }
    return classes.sorted()
  }
}
