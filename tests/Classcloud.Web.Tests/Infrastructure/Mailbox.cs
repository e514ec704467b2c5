using System.Text.RegularExpressions;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Infrastructure;

/// <summary>Reads the outbox, as a user would read their mail, to follow mailed links.</summary>
public static partial class Mailbox
{
    public static async Task<IReadOnlyList<Classcloud.Web.Mail.OutboxMail>> MailsToAsync(this ClasscloudHost host, string to)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        return await db.Mail.AsNoTracking().Where(m => m.To == to).OrderBy(m => m.Id).ToListAsync();
    }

    /// <summary>The token in the newest mail to the address whose link goes to the given path (e.g. "/verify").</summary>
    public static async Task<string> LatestTokenAsync(this ClasscloudHost host, string to, string path)
    {
        var mails = await host.MailsToAsync(to);
        foreach (var mail in mails.Reverse())
        {
            var match = Regex.Match(mail.Body, Regex.Escape(path) + @"\?token=([A-Za-z0-9_\-%]+)");
            if (match.Success)
            {
                return Uri.UnescapeDataString(match.Groups[1].Value);
            }
        }
        throw new InvalidOperationException($"No mail to {to} with a {path} link; mails: {mails.Count}.");
    }
}
