namespace Classcloud.Web.Hosting;

/// <summary>
/// Counts the finished passes of a background loop. Tests wait for "n more passes" — an observable event — where
/// they must show that a loop left something alone, instead of sleeping and hoping a pass ran meanwhile.
/// </summary>
public sealed class PassCounter
{
    long passes;

    public long Passes => Interlocked.Read(ref passes);

    public void Done() => Interlocked.Increment(ref passes);
}
