using System.Globalization;
using System.Text.RegularExpressions;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Turns the engine's push messages ("&lt;layer&gt; Pushing [==&gt;  ] 12.5MB/40.2MB") into bytes pushed
/// so far, summed over layers; a layer that reports "Pushed" or "Layer already exists" counts in full.
/// </summary>
public sealed partial class PushProgress(Action<long> report) : IProgress<string>
{
    readonly Dictionary<string, (long Done, long Total)> layers = new(StringComparer.Ordinal);
    readonly Lock gate = new();

    public long Bytes
    {
        get
        {
            lock (gate)
            {
                return layers.Values.Sum(l => l.Done);
            }
        }
    }

    public void Report(string value)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return;
        }
        var layer = value[..space];
        long bytes;
        lock (gate)
        {
            var match = Amounts().Match(value);
            if (match.Success)
            {
                layers[layer] = (Parse(match.Groups[1].Value, match.Groups[2].Value), Parse(match.Groups[3].Value, match.Groups[4].Value));
            }
            else if (value.Contains("Pushed", StringComparison.Ordinal) && layers.TryGetValue(layer, out var known))
            {
                layers[layer] = (known.Total, known.Total);
            }
            else
            {
                return;
            }
            bytes = layers.Values.Sum(l => l.Done);
        }
        report(bytes);
    }

    static long Parse(string number, string unit)
    {
        var value = double.Parse(number, CultureInfo.InvariantCulture);
        var factor = unit switch
        {
            "kB" or "KB" => 1e3,
            "MB" => 1e6,
            "GB" => 1e9,
            _ => 1,
        };
        return (long)(value * factor);
    }

    [GeneratedRegex(@"([0-9.]+)\s*(B|kB|KB|MB|GB)/([0-9.]+)\s*(B|kB|KB|MB|GB)")]
    private static partial Regex Amounts();
}
