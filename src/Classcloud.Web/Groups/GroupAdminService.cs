using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Groups;

public sealed record AdminGroupDto(long Id, string Name, string Kind, int Members, IReadOnlyList<string> Owners, DateTime CreatedAt);

/// <summary>Every group for administrators (seed 000 §3.5.6 extended to groups); deleting goes through GroupService.</summary>
public sealed class GroupAdminService(ClasscloudDb db)
{
    public async Task<Paged<AdminGroupDto>> SearchAsync(string? q, int? page, int? pageSize, int maxPageSize, CancellationToken ct)
    {
        var (number, size) = Paging.Clamp(page, pageSize, maxPageSize);
        var query = db.Groups.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim();
            text = text.Length > 100 ? text[..100] : text;
            query = query.Where(g => g.Name.Contains(text) || g.Description.Contains(text));
        }
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(g => g.Id).Skip((number - 1) * size).Take(size)
            .Select(g => new
            {
                g,
                Members = db.GroupMembers.Count(m => m.GroupId == g.Id),
                Owners = (from m in db.GroupMembers join u in db.Users on m.UserId equals u.Id where m.GroupId == g.Id && m.Role == GroupRole.Owner select u.Email).ToList(),
            })
            .ToListAsync(ct);
        var items = rows.Select(r => new AdminGroupDto(r.g.Id, r.g.Name, r.g.Kind.ToString().ToLowerInvariant(), r.Members,
            r.Owners.Select(o => o ?? "").ToList(), r.g.CreatedAt)).ToList();
        return new Paged<AdminGroupDto>(items, number, size, total);
    }
}
