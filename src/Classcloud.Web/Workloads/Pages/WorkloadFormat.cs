using System.Globalization;
using Classcloud.Web.Localization;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Workloads.Pages;

/// <summary>How the console pages write sizes, durations and states.</summary>
public static class WorkloadFormat
{
    public const string None = "—";

    public static string Bytes(long? bytes)
    {
        if (bytes is not { } b || b < 0)
        {
            return None;
        }
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = b;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{b} B" : value.ToString(value < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    public static string Percent(double? percent) =>
        percent is { } p ? p.ToString(p < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " %" : None;

    /// <summary>"3d 4h", "2h 5m", "4m 10s", "12s".</summary>
    public static string Duration(double? seconds)
    {
        if (seconds is not { } s)
        {
            return None;
        }
        var t = TimeSpan.FromSeconds(s);
        return t.TotalDays >= 1 ? $"{(int)t.TotalDays}d {t.Hours}h"
            : t.TotalHours >= 1 ? $"{(int)t.TotalHours}h {t.Minutes}m"
            : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m {t.Seconds}s"
            : $"{(int)t.TotalSeconds}s";
    }

    public static string State(string? state, IStringLocalizer<SharedResource> t) => state switch
    {
        null => None,
        "running" => t["Running"],
        "stopped" => t["Stopped"],
        "starting" => t["Starting"],
        "backing-off" => t["Backing off"],
        "crash-loop" => t["Crash loop"],
        "error" => t["Error"],
        "created" => t["Created"],
        "paused" => t["Paused"],
        "restarting" => t["Restarting"],
        "exited" => t["Exited"],
        _ => state,
    };

    /// <summary>A Bootstrap badge colour for a state.</summary>
    public static string Badge(string? state) => state switch
    {
        "running" => "text-bg-success",
        "starting" or "created" or "restarting" or "paused" => "text-bg-info",
        "backing-off" => "text-bg-warning",
        "crash-loop" or "error" => "text-bg-danger",
        _ => "text-bg-secondary",
    };
}
