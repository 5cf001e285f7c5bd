using Booking.BuildingBlocks.Caching;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Booking.BuildingBlocks.Security;

/// <summary>
/// How long an instance keeps the Data Protection key ring it loaded (decision 238). ASP.NET Core keeps it about a day,
/// or until this instance itself makes or revokes a key, so a revocation made elsewhere (<c>keys revoke</c>, another
/// process) went unseen by running instances until then: they kept reading cookies and links made with the revoked keys
/// and kept making new ones with them. Here the ring's cache ends at once when <see cref="Channel"/> is notified (the
/// revoke command does, every instance listens: <see cref="KeyRingNotices"/>), and in any case after
/// <see cref="Period"/>, the backstop for a notice missed.
/// </summary>
public sealed class KeyRingRefresh
{
    /// <summary>The PostgreSQL notification channel; the payload (the new default key's id) is for the log only.</summary>
    public const string Channel = "booking_key_ring";

    /// <summary>The configuration key of <see cref="Period"/> (a TimeSpan, "00:05:00").</summary>
    public const string PeriodKey = "DataProtection:KeyRingRefresh";

    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromMinutes(5);

    private CancellationTokenSource current;

    public KeyRingRefresh(TimeSpan period)
    {
        if (period <= TimeSpan.Zero || period > TimeSpan.FromDays(1))
        {
            throw new InvalidOperationException($"{PeriodKey} must be more than zero and at most a day (\"00:05:00\" is five minutes); it is {period}.");
        }

        Period = period;
        current = new CancellationTokenSource(period);
    }

    /// <summary>The longest a loaded key ring is kept without a notice.</summary>
    public TimeSpan Period { get; }

    /// <summary>
    /// For a key ring being loaded now: cancelled when the next refresh is due (a notice, or <see cref="Period"/> from
    /// now). A token already spent is replaced first, so a ring loaded after a refresh is not stale at once.
    /// </summary>
    public CancellationToken Token
    {
        get
        {
            while (true)
            {
                var source = Volatile.Read(ref current);
                if (!source.IsCancellationRequested)
                {
                    return source.Token;
                }

                var fresh = new CancellationTokenSource(Period);
                if (Interlocked.CompareExchange(ref current, fresh, source) != source)
                {
                    fresh.Dispose(); // another caller replaced it first
                }
            }
        }
    }

    /// <summary>The loaded key ring is stale: it is loaded again on its next use.</summary>
    public void RefreshNow()
    {
        var spent = Interlocked.Exchange(ref current, new CancellationTokenSource(Period));
        spent.Cancel();
    }
}

/// <summary>
/// ASP.NET Core's key manager with the cache token of <see cref="KeyRingRefresh"/>: the key ring provider asks
/// <see cref="GetCacheExpirationToken"/> each time it loads the ring, and loads it again once that token is cancelled.
/// The inner manager's own token (cancelled when this instance makes or revokes a key) refreshes it too.
/// </summary>
public sealed class RefreshingKeyManager(IKeyManager inner, KeyRingRefresh refresh) : IKeyManager
{
    private readonly Lock gate = new();
    private CancellationTokenRegistration innerChanged;

    public IKey CreateNewKey(DateTimeOffset activationDate, DateTimeOffset expirationDate) => inner.CreateNewKey(activationDate, expirationDate);

    public IReadOnlyCollection<IKey> GetAllKeys() => inner.GetAllKeys();

    public void RevokeAllKeys(DateTimeOffset revocationDate, string? reason = null) => inner.RevokeAllKeys(revocationDate, reason);

    public void RevokeKey(Guid keyId, string? reason = null) => inner.RevokeKey(keyId, reason);

    public CancellationToken GetCacheExpirationToken()
    {
        var own = refresh.Token;
        var innerToken = inner.GetCacheExpirationToken();
        lock (gate)
        {
            // One hook on the inner token at a time: the ring being loaded now is the only one that matters.
            innerChanged.Dispose();
            innerChanged = innerToken.Register(static r => ((KeyRingRefresh)r!).RefreshNow(), refresh);
        }

        return own;
    }
}

/// <summary>
/// The key ring's notification channel (<see cref="KeyRingRefresh.Channel"/>): a notice, or a notice perhaps missed
/// (the listening connection broke or was remade), makes the loaded ring stale, and the ring is then used once so that
/// its reload starts now (ASP.NET Core reloads it in the background and answers that one use with the old ring), not
/// with the next request.
/// </summary>
public sealed class KeyRingNotices(KeyRingRefresh refresh, IServiceProvider services, ILogger<KeyRingNotices> logger) : IDatabaseNotices
{
    public string Channel => KeyRingRefresh.Channel;

    public void Apply(string payload)
    {
        logger.LogInformation("The Data Protection keys changed (new default key {KeyId}); reloading the key ring", payload);
        Reload();
    }

    public void Missed() => Reload();

    private void Reload()
    {
        refresh.RefreshNow();
        _ = services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Booking.KeyRingRefresh").Protect([1]);
    }
}

public static class KeyRingRefreshSetup
{
    /// <summary>
    /// Keeps the loaded key ring at most <paramref name="period"/> and drops it when the key ring's channel is notified
    /// (the listener of <see cref="ReferenceDataInvalidationListener"/> must run). Call after AddDataProtection.
    /// </summary>
    public static IDataProtectionBuilder RefreshKeyRingOnNotice(this IDataProtectionBuilder builder, TimeSpan period)
    {
        var services = builder.Services;
        services.AddSingleton(new KeyRingRefresh(period));
        services.AddSingleton<IDatabaseNotices, KeyRingNotices>();
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IKeyManager))
            ?? throw new InvalidOperationException("AddDataProtection must come before RefreshKeyRingOnNotice.");
        services.Remove(registered);
        services.AddSingleton<IKeyManager>(sp => new RefreshingKeyManager(Inner(sp, registered), sp.GetRequiredService<KeyRingRefresh>()));
        return builder;
    }

    private static IKeyManager Inner(IServiceProvider services, ServiceDescriptor registered) => registered switch
    {
        { ImplementationInstance: IKeyManager instance } => instance,
        { ImplementationFactory: { } factory } => (IKeyManager)factory(services),
        { ImplementationType: { } type } => (IKeyManager)ActivatorUtilities.CreateInstance(services, type),
        _ => throw new InvalidOperationException("The Data Protection key manager is registered in a way this does not know."),
    };
}
