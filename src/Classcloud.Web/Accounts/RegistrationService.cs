using Classcloud.Web.Admin;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Accounts;

/// <summary>Sign-up and e-mail verification (seed 000 §3.2.4, seed 002 §2.3).</summary>
public sealed class RegistrationService(
    ClasscloudDb db, UserManager<User> users, AccountValidation validate, AccountTokens tokens,
    AccountMails mails, AuditLog audit, SettingsService settings, TimeProvider time,
    IEnumerable<IEmailVerifiedHandler> verifiedHandlers)
{
    public async Task<Outcome<User>> RegisterAsync(RegisterRequest request, CancellationToken ct)
    {
        var email = request.Email?.Trim();
        // Every field is checked before answering, so the page can show each error beside its field at once (issue 17).
        var errors = new FieldErrors();
        errors.Add("email", validate.Email(email));
        errors.Add("password", validate.Password(request.Password));
        errors.Add("name", validate.Text(request.Name, "Name", AccountLimits.Name));
        errors.Add("nickname", validate.Text(request.Nickname, "Nickname", AccountLimits.Nickname));
        AccountRole? role = request.Role?.Trim().ToLowerInvariant() switch
        {
            "student" => AccountRole.Student,
            "educator" => AccountRole.Educator,
            _ => null,
        };
        errors.Add("role", role is null ? Problem.BadRequest("Role must be 'student' or 'educator'.") : null);
        var current = await settings.GetAsync(ct);
        if (!errors.Has("email") && !current.AllowsEmail(email!))
        {
            errors.Add("email", Problem.BadRequest("Sign-up is limited to addresses at {0}.", string.Join(", ", current.DomainPatterns)));
        }
        if (!errors.Has("password"))
        {
            // The password rules (length, a letter, a digit) now, not after the other fields pass.
            foreach (var validator in users.PasswordValidators)
            {
                var checkedPassword = await validator.ValidateAsync(users, new User { UserName = email, Email = email }, request.Password!);
                errors.Add("password", checkedPassword.Succeeded ? null : validate.FromIdentity(checkedPassword));
            }
        }
        if (!errors.Has("email") && await users.FindByEmailAsync(email!) is not null)
        {
            errors.Add("email", Problem.Conflict("This e-mail address is already registered."));
        }
        if (errors.ToProblem() is { } problem)
        {
            return problem;
        }

        var user = new User
        {
            UserName = email,
            Email = email,
            Name = request.Name!.Trim(),
            Nickname = request.Nickname!.Trim(),
            Role = role!.Value,
            // Educators wait for an administrator (seed 000 §3.5.7); students are active once verified.
            Status = role == AccountRole.Educator ? AccountStatus.Pending : AccountStatus.Active,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var created = await users.CreateAsync(user, request.Password!);
        if (!created.Succeeded)
        {
            return validate.FromIdentity(created);
        }
        mails.Verify(user, tokens.Issue(user.Id, TokenPurpose.VerifyEmail));
        audit.Record(AuditActions.SignUp, target: email, detail: $"role={request.Role}", actorId: user.Id, actorEmail: email);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return user;
    }

    /// <summary>Redeems a verification link: confirms the address, or switches to a new one (My page).</summary>
    public async Task<Outcome<User>> VerifyAsync(string? token, CancellationToken ct)
    {
        var redeemed = await tokens.RedeemAsync(token, [TokenPurpose.VerifyEmail, TokenPurpose.ChangeEmail], ct);
        var user = redeemed is null ? null : await db.Users.SingleOrDefaultAsync(u => u.Id == redeemed.UserId, ct);
        if (redeemed is null || user is null)
        {
            return Problem.BadRequest("This link is invalid, expired or already used. Ask for a new one.");
        }
        if (redeemed.Purpose == TokenPurpose.ChangeEmail)
        {
            var newEmail = redeemed.Data!;
            if (await db.Users.AnyAsync(u => u.NormalizedEmail == users.NormalizeEmail(newEmail) && u.Id != user.Id, ct))
            {
                return Problem.Conflict("This e-mail address is already registered.");
            }
            var old = user.Email;
            await users.SetEmailAsync(user, newEmail);
            await users.SetUserNameAsync(user, newEmail);
            audit.Record(AuditActions.EmailChange, target: newEmail, detail: $"from {old}", actorId: user.Id, actorEmail: newEmail);
        }
        else
        {
            audit.Record(AuditActions.Verify, target: user.Email, actorId: user.Id, actorEmail: user.Email);
        }
        user.EmailConfirmed = true;
        await users.UpdateAsync(user);
        await EmailConfirmedAsync(user, ct);
        return user;
    }

    /// <summary>Lets features act on invitations to a newly proven address (course rosters); also called for provider-verified sign-ups.</summary>
    public async Task EmailConfirmedAsync(User user, CancellationToken ct)
    {
        foreach (var handler in verifiedHandlers)
        {
            await handler.EmailVerifiedAsync(user, ct);
        }
    }

    /// <summary>Sends a fresh link to an unverified address; says nothing about whether the account exists.</summary>
    public async Task ResendAsync(string? email, CancellationToken ct)
    {
        if (validate.Email(email?.Trim()) is not null)
        {
            return;
        }
        var user = await users.FindByEmailAsync(email!.Trim());
        if (user is { EmailConfirmed: false })
        {
            mails.Verify(user, tokens.Issue(user.Id, TokenPurpose.VerifyEmail));
            await db.SaveChangesAsync(ct);
        }
    }
}
