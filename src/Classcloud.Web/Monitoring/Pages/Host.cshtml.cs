using System.Globalization;
using Classcloud.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Classcloud.Web.Monitoring.Pages;

/// <summary>The host panel: the sampler's latest reading; the charts load the history from /api/v1/admin/host.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class HostModel(UsageSnapshot snapshot) : PageModel
{
    public HostReading? Reading { get; private set; }

    public void OnGet() => Reading = snapshot.Host;

    public static string Bytes(long? bytes)
    {
        if (bytes is not { } b)
        {
            return "—";
        }
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = b;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString(unit == 0 ? "0" : "0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    public static string Percent(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " %";

    public static string Percent(long used, long total) => total > 0 ? Percent(100.0 * used / total) : "—";
}
