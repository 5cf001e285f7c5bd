using Booking.BuildingBlocks.Jobs;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Booking.Host.Infrastructure;

/// <summary>
/// The operator's key commands (<c>dotnet run --project src/Host -- keys revoke --reason "…"</c>, docs/operations.md).
/// <c>keys revoke</c> is the answer to a suspected leak of the Data Protection keys (or of the certificate and a copy of
/// the database together): it revokes every key in <c>platform.data_protection_keys</c> and makes a new one (encrypted
/// with the configured certificate), ends every sign-in session (<c>platform.auth_sessions</c>: everyone is signed out,
/// on every instance, at once), and ends every reset and confirmation link still usable in every business (their only
/// copies at rest were encrypted with the old keys: <see cref="IEmailedLinks"/>). Cookies and device cookies made with
/// the old keys stop being read once each instance has reloaded its keys, which a restart does.
/// </summary>
public static class KeyCommands
{
    public const string Usage = """
        Usage: keys revoke --reason "why"
          Revokes every Data Protection key and makes a new one, signs everyone out and ends every
          password reset and address confirmation link still usable. Restart every instance afterwards.
        """;

    /// <summary>Whether the command line asks for a key command (its first word is <c>keys</c>).</summary>
    public static bool IsKeyCommand(string[] args) => args.Length > 0 && args[0] == "keys";

    /// <summary>Runs the command; the process's exit code (0 done, 2 the command line was not understood).</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (args is not ["keys", "revoke", .. var rest] || ReasonOf(rest) is not { } reason)
        {
            await errors.WriteLineAsync(Usage);
            return 2;
        }

        var report = await RevokeAsync(services, reason, cancellationToken);
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
            sessions = await scope.ServiceProvider.GetRequiredService<PlatformDbContext>().AuthSessions.ExecuteDeleteAsync(cancellationToken);
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
            "Restart every running instance now: each keeps using the keys it has loaded until it restarts (up to 24 hours).",
        ];
    }

    private static string Count(int n, string one, string? many = null) => n == 1 ? $"1 {one}" : $"{n} {many ?? one + "s"}";
}
