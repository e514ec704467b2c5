using Microsoft.AspNetCore.WebUtilities;

namespace Classcloud.Web.Shared;

/// <summary>Links for a paged list that keep the current filters (rendered by _Pager.cshtml).</summary>
public sealed record Pager(int Page, int TotalPages, int TotalCount, string Path, IReadOnlyDictionary<string, string?> Filters)
{
    public string Href(int page)
    {
        var query = Filters.Where(f => !string.IsNullOrEmpty(f.Value)).ToDictionary(f => f.Key, f => f.Value);
        if (page > 1)
        {
            query["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return QueryHelpers.AddQueryString(Path, query);
    }
}
