using DnsClient;

namespace Classcloud.Web.Projects.Domains;

/// <summary>Reads TXT records; behind an interface so tests answer for any name without DNS traffic.</summary>
public interface ITxtResolver
{
    /// <summary>The text of every TXT record at <paramref name="name"/> (each record's strings joined); empty when there are none.</summary>
    Task<IReadOnlyList<string>> TxtAsync(string name, CancellationToken ct);
}

/// <summary>The system's DNS servers, through DnsClient (.NET has no TXT lookup of its own). No cache: a record just published counts at once.</summary>
public sealed class DnsTxtResolver : ITxtResolver
{
    readonly LookupClient client = new(new LookupClientOptions { UseCache = false, Timeout = TimeSpan.FromSeconds(5), Retries = 1 });

    public async Task<IReadOnlyList<string>> TxtAsync(string name, CancellationToken ct)
    {
        try
        {
            var answer = await client.QueryAsync(name, QueryType.TXT, QueryClass.IN, ct);
            return [.. answer.Answers.TxtRecords().Select(r => string.Concat(r.Text))];
        }
        catch (DnsResponseException)
        {
            return [];
        }
    }
}
