using System.Security.Cryptography;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Projects.Domains;

/// <summary>
/// A project's custom domains: added with a token, verified by a TXT record <c>_classcloud.&lt;domain&gt;</c> that
/// holds it, and only then routed by the apps gateway and certified by Caddy (which asks <see cref="IsVerifiedAsync"/>).
/// </summary>
public sealed class ProjectDomains(
    ClasscloudDb db, ProjectService projects, ITxtResolver txt, DomainIndex index, AuditLog audit, IOptions<ProjectsOptions> options,
    IOptions<ClasscloudOptions> platform, TimeProvider time)
{
    public async Task<Outcome<IReadOnlyList<DomainDto>>> ListAsync(long id, Caller caller, CancellationToken ct)
    {
        var opened = await projects.OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var rows = await db.ProjectDomains.AsNoTracking().Where(d => d.ProjectId == id).OrderBy(d => d.Host).ToListAsync(ct);
        return rows.Select(Dto).ToList();
    }

    public async Task<Outcome<DomainDto>> AddAsync(long id, Caller caller, DomainRequest request, CancellationToken ct)
    {
        var opened = await projects.OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        if (DomainRules.Normalize(request.Domain) is not { } host)
        {
            return Field(Problem.BadRequest("The domain is not a valid DNS name (such as www.example.org)."));
        }
        var platformHost = Uri.TryCreate(platform.Value.PublicUrl, UriKind.Absolute, out var publicUrl) ? publicUrl.IdnHost.ToLowerInvariant() : null;
        if (DomainRules.Check(host, options.Value.AppsDomain.ToLowerInvariant(), platformHost) is { } refused)
        {
            return Field(Problem.BadRequest(refused));
        }
        if (await db.ProjectDomains.AnyAsync(d => d.Host == host, ct))
        {
            return Field(Problem.Conflict("The domain {0} is already claimed by a project.", host));
        }
        if (await db.ProjectDomains.CountAsync(d => d.ProjectId == id, ct) >= DomainRules.MaxPerProject)
        {
            return Problem.Conflict("A project has at most {0} custom domains.", DomainRules.MaxPerProject);
        }
        var domain = new ProjectDomain { ProjectId = id, Host = host, Token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), CreatedAt = Now };
        db.ProjectDomains.Add(domain);
        audit.Record("project.domain.add", $"project:{id}", host);
        await db.SaveChangesAsync(ct);
        return Dto(domain);
    }

    /// <summary>Looks the TXT record up now; verified once, a domain stays verified until removed.</summary>
    public async Task<Outcome<DomainDto>> VerifyAsync(long id, string domain, Caller caller, CancellationToken ct)
    {
        var found = await FindAsync(id, domain, caller, ct);
        if (!found.Succeeded)
        {
            return found.Problem!;
        }
        var row = found.Value!;
        if (row.VerifiedAt is null)
        {
            var records = await txt.TxtAsync(DomainRules.RecordPrefix + row.Host, ct);
            if (!records.Any(r => r.Trim() == row.Token))
            {
                return new Problem(StatusCodes.Status422UnprocessableEntity, "No TXT record {0} holds the token {1} yet. DNS changes can take a few minutes to show.",
                    DomainRules.RecordPrefix + row.Host, row.Token);
            }
            row.VerifiedAt = Now;
            audit.Record("project.domain.verify", $"project:{id}", row.Host);
            await db.SaveChangesAsync(ct);
            index.Invalidate();
        }
        return Dto(row);
    }

    public async Task<Problem?> RemoveAsync(long id, string domain, Caller caller, CancellationToken ct)
    {
        var found = await FindAsync(id, domain, caller, ct);
        if (!found.Succeeded)
        {
            return found.Problem;
        }
        db.ProjectDomains.Remove(found.Value!);
        audit.Record("project.domain.remove", $"project:{id}", found.Value!.Host);
        await db.SaveChangesAsync(ct);
        index.Invalidate();
        return null;
    }

    /// <summary>Caddy's on-demand TLS asks before it gets a certificate: only verified domains, so nobody makes it request certificates for names of their choosing.</summary>
    public async Task<bool> IsVerifiedAsync(string? domain, CancellationToken ct) =>
        DomainRules.Normalize(domain) is { } host && await db.ProjectDomains.AnyAsync(d => d.Host == host && d.VerifiedAt != null, ct);

    async Task<Outcome<ProjectDomain>> FindAsync(long id, string domain, Caller caller, CancellationToken ct)
    {
        var opened = await projects.OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var host = DomainRules.Normalize(domain);
        var row = host is null ? null : await db.ProjectDomains.SingleOrDefaultAsync(d => d.ProjectId == id && d.Host == host, ct);
        return row is null ? Problem.NotFound("This project has no domain {0}.", domain) : row;
    }

    static Problem Field(Problem problem) =>
        problem with { Errors = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["domain"] = [problem.Detail] } };

    static DomainDto Dto(ProjectDomain d) => new(d.Host, d.VerifiedAt is not null, DomainRules.RecordPrefix + d.Host, d.Token, d.CreatedAt, d.VerifiedAt);

    DateTime Now => time.GetUtcNow().UtcDateTime;
}
