// Browser tests share two cores with the host they drive: one class at a time keeps timings sane.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
