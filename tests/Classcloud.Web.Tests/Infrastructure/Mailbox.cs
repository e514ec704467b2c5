using System.Text.RegularExpressions;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Infrastructure;

/// <summary>Reads the outbox, as a user would read their mail, to follow mailed links.</summary>
public static partial class Mailbox
{
    /// <summary>
    /// The outbox rows to an address, oldest first. A sent mail's text is gone from its row (it may hold a
    /// link), so its body is read from the delivered copy in the pickup folder, found by its Message-ID;
    /// the row is emptied only after that file is written.
    /// </summary>
    public static async Task<IReadOnlyList<Classcloud.Web.Mail.OutboxMail>> MailsToAsync(this ClasscloudHost host, string to)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        var mails = await db.Mail.AsNoTracking().Where(m => m.To == to).OrderBy(m => m.Id).ToListAsync();
        if (mails.Any(m => m.Body == Classcloud.Web.Mail.OutboxMail.Removed))
        {
            var delivered = await DeliveredAsync(Path.Combine(host.DataDirectory, "mail"));
            foreach (var mail in mails.Where(m => m.Body == Classcloud.Web.Mail.OutboxMail.Removed))
            {
                var prefix = Classcloud.Web.Mail.OutboxMail.MessageIdOf(mail, null).Split('@')[0] + "@";
                mail.Body = delivered.FirstOrDefault(d => d.Id.StartsWith(prefix, StringComparison.Ordinal)).Body ?? mail.Body;
            }
        }
        return mails;
    }

    static async Task<List<(string Id, string Body)>> DeliveredAsync(string folder)
    {
        var found = new List<(string, string)>();
        foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml") : [])
        {
            using var message = await MimeKit.MimeMessage.LoadAsync(file);
            found.Add((message.MessageId ?? "", message.TextBody ?? ""));
        }
        return found;
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
