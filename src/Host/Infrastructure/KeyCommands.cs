using Booking.BuildingBlocks.Jobs;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Booking.Host.Infrastructure;

/// <summary>
/// The operator's key commands (<c>dotnet run --project src/Host -- keys list</c> and <c>keys revoke --reason "…"</c>,
/// docs/operations.md). <c>keys list</c> only reads: each key's dates, whether it is revoked and why, and the default.
/// <c>keys revoke</c> is the answer to a suspected leak of the Data Protection keys (or of the certificate and a copy of
/// the database together): it revokes every key in <c>platform.data_protection_keys</c> and makes a new one (encrypted
/// with the configured certificate), ends every sign-in session (<c>platform.auth_sessions</c>: everyone is signed out,
/// on every instance, at once), and ends every reset and confirmation link still usable in every business (their only
/// copies at rest were encrypted with the old keys: <see cref="IEmailedLinks"/>). Cookies and device cookies made with
/// the old keys stop being read once each instance has reloaded its keys: the command notifies every running instance,
/// which reloads them at once (<see cref="KeyRingRefresh"/>, decision 238).
/// </summary>
public static class KeyCommands
{
    public const string Usage = """
        Usage: keys list
          Lists the Data Protection keys: when each was created, is active from and expires, whether it
          is revoked (and why), and which is the default. Changes nothing.
        Usage: keys revoke --reason "why"
          Revokes every Data Protection key and makes a new one, signs everyone out and ends every
          password reset and address confirmation link still usable. Running instances reload the keys at once.
        """;

    /// <summary>Whether the command line asks for a key command (its first word is <c>keys</c>).</summary>
    public static bool IsKeyCommand(string[] args) => args.Length > 0 && args[0] == "keys";

    /// <summary>Runs the command; the process's exit code (0 done, 2 the command line was not understood).</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> report;
        if (args is ["keys", "list"])
        {
            report = List(services, DateTimeOffset.UtcNow);
        }
        else if (args is ["keys", "revoke", .. var rest] && ReasonOf(rest) is { } reason)
        {
            report = await RevokeAsync(services, reason, cancellationToken);
        }
        else
        {
            await errors.WriteLineAsync(Usage);
            return 2;
        }

        foreach (var line in report)
        {
            await output.WriteLineAsync(line);
        }

        return 0;
    }

    /// <summary>
    /// <c>--reason "…"</c> or <c>--reason=…</c>, required: one line of at most 200 characters, stored with the
    /// revocation (the <c>&lt;reason&gt;</c> of its row) for whoever looks at the key ring later.
    /// </summary>
    private static string? ReasonOf(string[] rest)
    {
        string? reason = rest switch
        {
            ["--reason", var value] => value,
            [var one] when one.StartsWith("--reason=", StringComparison.Ordinal) => one["--reason=".Length..],
            _ => null,
        };
        reason = reason?.Trim();
        return string.IsNullOrEmpty(reason) || reason.Length > 200 || reason.Any(char.IsControl) ? null : reason;
    }

    /// <summary>Does the revocation; answers the lines saying what was done.</summary>
    public static async Task<IReadOnlyList<string>> RevokeAsync(IServiceProvider services, string reason, CancellationToken cancellationToken)
    {
        var keys = services.GetRequiredService<IKeyManager>();
        var lifetime = services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.NewKeyLifetime;
        var live = keys.GetAllKeys().Count(k => !k.IsRevoked);
        var now = DateTimeOffset.UtcNow;

        // Every key made up to now is revoked; the new key is made after it, so the revocation does not cover it.
        keys.RevokeAllKeys(now, reason);
        await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
        var made = keys.CreateNewKey(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow + lifetime);
        var fresh = keys.GetAllKeys().SingleOrDefault(k => k.KeyId == made.KeyId);
        if (fresh is null || fresh.IsRevoked)
        {
            throw new InvalidOperationException($"The new key {made.KeyId} was not stored as a key in use; run the command again.");
        }

        int sessions;
        await using (var scope = services.CreateAsyncScope())
        {
            var platform = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
            sessions = await platform.AuthSessions.ExecuteDeleteAsync(cancellationToken);

            // Every running instance listens (KeyRingNotices) and reloads its key ring now, instead of reading the revoked
            // keys' cookies until its cached ring runs out (decision 238).
            await platform.Database.ExecuteSqlRawAsync("SELECT pg_notify({0}, {1})", [KeyRingRefresh.Channel, made.KeyId.ToString()], cancellationToken);
        }

        var ended = new Dictionary<string, int>(StringComparer.Ordinal);
        var businesses = 0;
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        await foreach (var tenantId in services.GetRequiredService<ITenantDirectory>().AllTenantIdsAsync(cancellationToken))
        {
            businesses++;
            await using var scope = await TenantScope.OpenAsync(scopes, tenantId, cancellationToken);
            foreach (var links in scope.ServiceProvider.GetServices<IEmailedLinks>())
            {
                ended[links.What] = ended.GetValueOrDefault(links.What) + await links.EndUsableAsync(now, cancellationToken);
            }
        }

        return
        [
            $"Revoked {Count(live, "Data Protection key")} as of {now:yyyy-MM-dd HH:mm:ss} UTC (reason: {reason}).",
            $"Made a new key, {made.KeyId}, in use until {made.ExpirationDate:yyyy-MM-dd}.",
            $"Ended {Count(sessions, "sign-in session")}: everyone is signed out and signs in again.",
            businesses == 0
                ? "No businesses yet, so no links to end."
                : $"Ended {string.Join(", ", ended.Select(e => Count(e.Value, e.Key)))} still usable, in {Count(businesses, "business", "businesses")}.",
            "Cookies, trusted devices and reset links made with the old keys no longer work.",
            "Running instances were told and reload the keys within seconds; one that did not hear it reloads them within "
                + $"{services.GetRequiredService<KeyRingRefresh>().Period.TotalMinutes:0.#} minutes ({KeyRingRefresh.PeriodKey}). No restart is needed.",
        ];
    }

    /// <summary>
    /// The key ring as <c>keys list</c> prints it, newest first: one line per key, then which is the default. Read
    /// through <see cref="IKeyManager.GetAllKeys"/>; the revocation's date and reason, which <see cref="IKey"/> does not
    /// carry, from the revocation elements of the same repository. Nothing is written: no key is made, even when none
    /// is in use (an instance makes one when it starts).
    /// </summary>
    public static IReadOnlyList<string> List(IServiceProvider services, DateTimeOffset now)
    {
        var keys = services.GetRequiredService<IKeyManager>().GetAllKeys()
            .OrderByDescending(k => k.ActivationDate).ThenBy(k => k.KeyId).ToList();
        if (keys.Count == 0)
        {
            return ["No Data Protection keys yet: the first instance to start makes one."];
        }

        var revocations = Revocations(services);
        var readable = keys.ToDictionary(k => k.KeyId, Readable);
        var @default = DefaultKey(keys, readable, now);
        var lines = new List<string> { $"{Count(keys.Count, "Data Protection key")}, newest first (times in UTC):" };
        foreach (var key in keys)
        {
            var state = key.IsRevoked ? RevokedText(key, revocations)
                : key.KeyId == @default?.KeyId ? "Not revoked. The default: new cookies and links are made with it."
                : key.ExpirationDate <= now ? "Not revoked. Expired: still reads what it made."
                : key.ActivationDate > now ? "Not revoked. Not active yet."
                : "Not revoked. Active, not the default: still reads what it made.";
            lines.Add($"Key {key.KeyId}: created {Utc(key.CreationDate)}, active from {Utc(key.ActivationDate)}, expires {Utc(key.ExpirationDate)}. {state}"
                + (readable[key.KeyId] ? "" : " It cannot be read with the configured certificates."));
        }

        lines.Add(@default is null
            ? "No key is the default (none is active, readable and neither revoked nor expired): the next instance to start makes a new one."
            : $"The default key is {@default.KeyId}.");
        return lines;
    }

    /// <summary>
    /// The key an instance starting now would make cookies and links with: the one activated last, up to five minutes
    /// ahead for clocks that differ between servers, if it is neither revoked nor expired and can be read (ASP.NET Core's
    /// documented default-key rule); none when that key cannot serve.
    /// </summary>
    private static IKey? DefaultKey(IEnumerable<IKey> keys, IReadOnlyDictionary<Guid, bool> readable, DateTimeOffset now)
    {
        var latest = keys.Where(k => k.ActivationDate <= now + TimeSpan.FromMinutes(5))
            .OrderByDescending(k => k.ActivationDate).ThenBy(k => k.KeyId).FirstOrDefault();
        return latest is { IsRevoked: false } && latest.ExpirationDate > now && readable[latest.KeyId] ? latest : null;
    }

    /// <summary>Whether the key's secret can be read: it is decrypted (with the configured certificates) when first asked for.</summary>
    private static bool Readable(IKey key)
    {
        try
        {
            return key.Descriptor is not null;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>
    /// "Revoked 2026-12-05 09:14:02 UTC (reason: …)." by the first revocation that covers the key: one naming it, or
    /// one of every key made up to its date (<c>keys revoke</c>'s kind).
    /// </summary>
    private static string RevokedText(IKey key, IReadOnlyList<Revocation> revocations)
    {
        var first = revocations
            .Where(r => r.KeyId == key.KeyId || r.KeyId is null && r.Date is { } date && key.CreationDate <= date)
            .OrderBy(r => r.Date ?? DateTimeOffset.MaxValue)
            .FirstOrDefault();
        return first is null ? "Revoked."
            : $"Revoked{(first.Date is { } at ? " " + Utc(at) : "")} ({(string.IsNullOrWhiteSpace(first.Reason) ? "no reason given" : "reason: " + first.Reason.Trim())}).";
    }

    /// <summary>A revocation element of the key ring: one key (<c>&lt;key id="…"/&gt;</c>) or, with no id, every key made up to its date (<c>id="*"</c>).</summary>
    private sealed record Revocation(Guid? KeyId, DateTimeOffset? Date, string? Reason);

    private static List<Revocation> Revocations(IServiceProvider services)
    {
        var repository = services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository;
        if (repository is null)
        {
            return [];
        }

        var found = new List<Revocation>();
        foreach (var element in repository.GetAllElements().Where(e => e.Name.LocalName == "revocation"))
        {
            var id = (string?)element.Element("key")?.Attribute("id");
            DateTimeOffset? date;
            try
            {
                date = (DateTimeOffset?)element.Element("revocationDate");
            }
            catch (FormatException)
            {
                date = null;
            }

            if (id == "*" || Guid.TryParse(id, out _))
            {
                found.Add(new Revocation(id == "*" ? null : Guid.Parse(id!), date, (string?)element.Element("reason")));
            }
        }

        return found;
    }

    private static string Utc(DateTimeOffset at) => $"{at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC";

    private static string Count(int n, string one, string? many = null) => n == 1 ? $"1 {one}" : $"{n} {many ?? one + "s"}";
}
