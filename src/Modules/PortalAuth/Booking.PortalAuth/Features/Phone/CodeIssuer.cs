using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Sms;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Phone;

/// <summary>
/// Puts a fresh code on an attempt, within the limits. The counts and the new send are one transaction under
/// advisory locks on the phone, the IP and the business (always taken in that order, so two sends never wait for
/// each other in a circle), so concurrent requests on several instances cannot slip past any of the three caps.
/// </summary>
public sealed class CodeIssuer(PortalAuthDbContext db, ITenantContext tenant, SignInCodes codes, SmsQueue sms, PortalAuthOptions options, TimeProvider clock)
{
    public async Task IssueAsync(SignInAttempt attempt, bool isNew, string ip, CancellationToken cancellationToken)
    {
        var tenantId = tenant.TenantId!.Value;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.LockForTransactionAsync($"sms-phone:{tenantId}:{attempt.Mobile}", cancellationToken);
        await db.Database.LockForTransactionAsync($"sms-ip:{ip}", cancellationToken);
        await db.Database.LockForTransactionAsync($"sms-tenant:{tenantId}", cancellationToken);

        var now = clock.GetUtcNow();
        var hourAgo = now.AddHours(-1);
        var toPhone = await db.CodeSends.AsNoTracking()
            .Where(s => s.TenantId == tenantId && s.Mobile == attempt.Mobile && s.At > hourAgo)
            .Select(s => s.At).ToListAsync(cancellationToken);
        var fromIp = await db.CodeSends.CountAsync(s => s.Ip == ip && s.At > hourAgo, cancellationToken);
        var forTenant = await db.CodeSends.CountAsync(s => s.TenantId == tenantId && s.At > hourAgo, cancellationToken);
        if (SendLimits.RetryAfterSeconds(new RecentSends(toPhone, fromIp, forTenant), now, options) is { } wait)
        {
            throw ProblemException.RateLimited(wait, "Too many codes were asked for. Wait a little before asking again.");
        }

        var code = SignInCodes.NewCode();
        attempt.CodeHash = codes.Hash(attempt.Id, code);
        attempt.CodeSentAt = now;
        attempt.CodeExpiresAt = now + options.CodeLifetime;
        if (isNew)
        {
            db.Attempts.Add(attempt);
        }

        db.CodeSends.Add(new CodeSend { Id = Guid.CreateVersion7(), Mobile = attempt.Mobile, Ip = ip, At = now });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var business = tenant.Current!.Name;
        var minutes = (int)options.CodeLifetime.TotalMinutes;
        sms.Enqueue(new QueuedSms(tenantId, attempt.Mobile, attempt.ClientId is null
            ? $"{code} is your sign-in code for {business}. It expires in {minutes} minutes."
            : $"{code} is your code to verify your mobile for {business}. It expires in {minutes} minutes."));
    }
}
