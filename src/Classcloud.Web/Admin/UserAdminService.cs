using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Admin;

public sealed record UserQuery(string? Q, string? Role, string? Status, int? Page, int? PageSize);

public sealed record AdminUserDto(long Id, string Email, string Name, string Nickname, string Role, string Status, bool EmailConfirmed, DateTime CreatedAt, DateTimeOffset? LockoutEnd)
{
    public static AdminUserDto From(User u) =>
        new(u.Id, u.Email ?? "", u.Name, u.Nickname, u.Role.ToString().ToLowerInvariant(), u.ApiStatus, u.EmailConfirmed, u.CreatedAt, u.LockoutEnd);
}

/// <summary>The administrator's user list and actions (seed 000 §3.5.7–3.5.8).</summary>
public sealed class UserAdminService(
    ClasscloudDb db, UserManager<User> users, AuditLog audit, AccountMails mails, AccountDeletion deletion)
{
    public async Task<Paged<AdminUserDto>> SearchAsync(UserQuery query, int maxPageSize, CancellationToken ct)
    {
        var (page, size) = Paging.Clamp(query.Page, query.PageSize, maxPageSize);
        var q = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var text = query.Q.Trim();
            text = text.Length > 100 ? text[..100] : text;
            var upper = text.ToUpperInvariant();
            // In any letter case, like the e-mail (Contains alone is case-sensitive on both providers).
            // CA1862: EF Core translates ToUpper().Contains() to SQL; the StringComparison overload does not translate.
#pragma warning disable CA1862
            q = q.Where(u => u.Name.ToUpper().Contains(upper) || u.Nickname.ToUpper().Contains(upper) || u.NormalizedEmail!.Contains(upper));
#pragma warning restore CA1862
        }
        if (Enum.TryParse<AccountRole>(query.Role, ignoreCase: true, out var role))
        {
            q = q.Where(u => u.Role == role);
        }
        q = query.Status?.ToLowerInvariant() switch
        {
            "unverified" => q.Where(u => !u.EmailConfirmed),
            "pending" => q.Where(u => u.EmailConfirmed && u.Status == AccountStatus.Pending),
            "active" => q.Where(u => u.EmailConfirmed && u.Status == AccountStatus.Active),
            "disabled" => q.Where(u => u.Status == AccountStatus.Disabled),
            _ => q,
        };
        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(u => u.Id).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return new Paged<AdminUserDto>(rows.Select(AdminUserDto.From).ToList(), page, size, total);
    }

    public async Task<Outcome<User>> ApproveAsync(long id, CancellationToken ct)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Problem.NotFound("No such user.");
        }
        if (user.Status != AccountStatus.Pending)
        {
            return user; // approving twice is harmless
        }
        user.Status = AccountStatus.Active;
        mails.Approved(user);
        audit.Record(AuditActions.Approve, target: user.Email);
        // Not a new security stamp: that would sign the educator out. Their open session picks up
        // the new status at its next request (the principal is rebuilt on every request, AccountsSetup).
        await users.UpdateAsync(user);
        return user;
    }

    public async Task<Outcome<User>> SetRoleAsync(long id, long actingAdminId, string? roleName, CancellationToken ct)
    {
        if (!Enum.TryParse<AccountRole>(roleName, ignoreCase: true, out var role) || !Enum.IsDefined(role) || int.TryParse(roleName, out _))
        {
            return Problem.BadRequest("Role must be 'student', 'educator' or 'admin'.");
        }
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Problem.NotFound("No such user.");
        }
        if (user.Id == actingAdminId && role != AccountRole.Admin)
        {
            return Problem.Conflict("You cannot take away your own administrator role.");
        }
        var old = user.Role;
        user.Role = role;
        // An administrator's choice is an approval too: a pending educator made educator is active.
        if (user.Status == AccountStatus.Pending)
        {
            user.Status = AccountStatus.Active;
        }
        audit.Record(AuditActions.RoleChange, target: user.Email, detail: $"{old}→{role}".ToLowerInvariant());
        // The user's open sessions carry on with the new role from their next request (see ApproveAsync).
        await users.UpdateAsync(user);
        return user;
    }

    public async Task<Outcome<User>> SetDisabledAsync(long id, long actingAdminId, bool disabled, CancellationToken ct)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Problem.NotFound("No such user.");
        }
        if (user.Id == actingAdminId)
        {
            return Problem.Conflict("You cannot disable your own account.");
        }
        if (disabled && user.Status != AccountStatus.Disabled)
        {
            user.Status = AccountStatus.Disabled;
            audit.Record(AuditActions.Disable, target: user.Email);
        }
        else if (!disabled && user.Status == AccountStatus.Disabled)
        {
            // Enabling is an administrator's explicit choice, so it also approves a pending educator.
            user.Status = AccountStatus.Active;
            audit.Record(AuditActions.Enable, target: user.Email);
        }
        // A new stamp ends every cookie session of the account at its next request.
        await users.UpdateSecurityStampAsync(user);
        return user;
    }

    public async Task<Problem?> DeleteAsync(long id, long actingAdminId, CancellationToken ct)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Problem.NotFound("No such user.");
        }
        if (user.Id == actingAdminId)
        {
            return Problem.Conflict("Delete your own account from My page.");
        }
        return await deletion.DeleteUserAsync(user, "administrator", ct);
    }
}
