namespace Classcloud.Web.Hosting;

/// <summary>A page of a list; every list route is paged and capped (Classcloud:Limits:MaxPageSize).</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount)
{
    public int TotalPages => TotalCount == 0 ? 1 : (TotalCount + PageSize - 1) / PageSize;
}

public static class Paging
{
    public const int DefaultPageSize = 20;

    /// <summary>Clamps a requested page and size into the allowed range.</summary>
    public static (int Page, int Size) Clamp(int? page, int? size, int maxSize) =>
        (Math.Clamp(page ?? 1, 1, 1_000_000), Math.Clamp(size ?? DefaultPageSize, 1, maxSize));
}
