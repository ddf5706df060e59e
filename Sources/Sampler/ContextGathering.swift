// Which rows a context holds (issue 5, docs/format.md "Batches"): the seed row, then its parents followed
// transitively, then children breadth-first from the shallowest rows, at most `childCap` per row sampled
// uniformly, whole rows only, until L cells or L rows. Time rules, with T the seed's time (a static seed sees
// every time): a parent is visible if static or at or before T, a child if static or strictly before T (children
// lists are sorted by time, so the visible ones are a prefix found by binary search). Task mode adds: a row of
// a cell task's table other than the seed is visible only if strictly earlier than a timed seed (its label is
// known; same-timestamp examples never are); an entity task's seed is a task row whose parent is the entity
// row, and each entity row in the context gets its examples whose label is known at T as task-row children.
// The seed row (an entity task's: the entity's row) loses its hidden columns and does not follow foreign keys
// made of hidden columns (the parent would reveal them).

/// The seed of one sample.
struct SeedChoice {
  var database: Int
  /// The seed row's node (cell tasks, pretraining) or the entity's node (entity tasks).
  var node: Int
  /// Task example index, -1 in pretraining.
  var example: Int
  /// The seed's time in µs, `Int64.min` for a static row.
  var time: Int64
}

struct ContextGatherer {
  let view: DatabaseView
  let task: TaskView?
  let scratch: SamplerScratch
  let seed: SeedChoice
  let contextLength: Int
  let childCap: Int
  /// Visibility horizon: the seed's time, or "forever" for a static seed.
  let horizon: Int64
  let stamp: OwnedBuffer<UInt32>
  let slotOf: OwnedBuffer<Int32>
  let generation: UInt32
  var rows = 0
  var cells = 0
  var full = false

  init(
    view: DatabaseView, task: TaskView?, scratch: SamplerScratch, seed: SeedChoice, contextLength: Int,
    childCap: Int
  ) {
    self.view = view
    self.task = task
    self.scratch = scratch
    self.seed = seed
    self.contextLength = contextLength
    self.childCap = childCap
    horizon = seed.time == Int64.min ? Int64.max : seed.time
    scratch.nextGeneration()
    stamp = scratch.nodeStamp[seed.database]
    slotOf = scratch.nodeSlot[seed.database]
    generation = scratch.generation
  }

  /// Fills `scratch.rowNode/rowTable/rowEntity[0..<rows]`.
  mutating func gather(seedCells: Int, random: inout SampleRandom) {
    if let task, task.isEntity {
      let t = view.nodeTime[seed.node]
      let entityVisible = t == Int64.min || t <= horizon
      addExampleRow(seed.example, cellCount: 2, entitySlot: entityVisible ? 1 : -1)
      if entityVisible { addRealRow(seed.node, cellCount: seedCells) }
    } else {
      addRealRow(seed.node, cellCount: seedCells)
    }
    addParents()
    addChildren(random: &random)
  }

  private var tableIsTaskTable: Int { task.map { $0.isEntity ? -1 : $0.seedTable } ?? -1 }

  @inline(__always) private func visited(_ node: Int) -> Bool { stamp[node] == generation }

  /// Rows of a cell task's table other than the seed: only examples whose label is known.
  @inline(__always) private func isKnownExampleRow(_ node: Int) -> Bool {
    guard Int(view.nodeTable[node]) == tableIsTaskTable else { return true }
    let t = view.nodeTime[node]
    return t != Int64.min && seed.time != Int64.min && t < seed.time
  }

  private mutating func fits(_ cellCount: Int) -> Bool {
    if rows >= contextLength || cells + cellCount > contextLength {
      full = true
      return false
    }
    return true
  }

  private mutating func addRealRow(_ node: Int, cellCount: Int) {
    guard fits(cellCount) || rows == 0 else { return }
    stamp[node] = generation
    slotOf[node] = Int32(rows)
    scratch.rowNode[rows] = Int32(node)
    scratch.rowTable[rows] = Int32(view.nodeTable[node])
    scratch.rowEntity[rows] = -1
    rows += 1
    cells = min(cells + cellCount, contextLength)
  }

  private mutating func addExampleRow(_ example: Int, cellCount: Int, entitySlot: Int) {
    guard fits(cellCount) || rows == 0 else { return }
    scratch.rowNode[rows] = Int32(-1 - example)
    scratch.rowTable[rows] = Int32(view.tableCount)
    scratch.rowEntity[rows] = Int32(entitySlot)
    rows += 1
    cells += cellCount
  }

  /// Parents of every row so far, breadth-first, transitively (parents of parents come after).
  private mutating func addParents() {
    var next = 0
    while next < rows && !full {
      let node = Int(scratch.rowNode[next])
      let isSeed = task != nil && node == seed.node
      next += 1
      guard node >= 0 else { continue }
      for edge in Int(view.parentOffsets[node])..<Int(view.parentOffsets[node + 1]) {
        if isSeed, let task, task.hiddenEdgeTypes[Int(view.parentEdgeTypes[edge])] { continue }
        let parent = Int(view.parentNodes[edge])
        let t = view.nodeTime[parent]
        guard !visited(parent), t == Int64.min || t <= horizon, isKnownExampleRow(parent) else { continue }
        addRealRow(parent, cellCount: Int(view.rowCells[parent]))
        if full { return }
      }
    }
  }

  /// Children breadth-first from the shallowest rows: rows are expanded in slot order.
  private mutating func addChildren(random: inout SampleRandom) {
    var next = 0
    while next < rows && !full {
      let node = Int(scratch.rowNode[next])
      let slot = next
      next += 1
      guard node >= 0 else { continue }
      let real = visibleChildren(of: node)
      let examples = knownExamples(of: node)
      let chosen = scratch.choose(childCap, of: real.count + examples.count, random: &random)
      for pick in 0..<chosen {
        let index = Int(scratch.picks[pick])
        if index < real.count {
          let child = Int(view.childNodes[real.lowerBound + index])
          guard !visited(child), isKnownExampleRow(child) else { continue }
          addRealRow(child, cellCount: Int(view.rowCells[child]))
        } else if let task {
          let example = Int(task.entityExamples[examples.lowerBound + index - real.count])
          addExampleRow(example, cellCount: 2, entitySlot: slot)
        }
        if full { return }
      }
    }
  }

  /// Children sorted by (time, node) with static rows first: the visible ones (static or before T) are a prefix.
  private func visibleChildren(of node: Int) -> Range<Int> {
    let start = Int(view.childOffsets[node])
    var low = start
    var high = Int(view.childOffsets[node + 1])
    while low < high {
      let middle = (low &+ high) / 2
      if view.nodeTime[Int(view.childNodes[middle])] < horizon { low = middle + 1 } else { high = middle }
    }
    return start..<low
  }

  private func knownExamples(of node: Int) -> Range<Int> {
    guard let task, task.isEntity, Int(view.nodeTable[node]) == task.seedTable else { return 0..<0 }
    return task.knownExamples(ofRow: node - view.tableNodeOffset[task.seedTable], at: seed.time)
  }
}
