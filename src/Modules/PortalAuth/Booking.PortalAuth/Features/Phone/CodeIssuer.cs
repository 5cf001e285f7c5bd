using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Phones;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Sms;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Phone;

/// <summary>
/// Puts a fresh code on an attempt, within the limits. The counts and the new send are one transaction under
/// advisory locks on the phone (platform-wide), the client's address (its /64 for IPv6) and the business (always taken
/// in that order, so two sends never wait for each other in a circle), so concurrent requests on several instances
/// cannot slip past any cap. Code sends are readable across businesses (<see cref="CodeSend"/>): the per-phone cooldown
/// and platform cap and the per-address cap count every business's sends, which no business can reset. Last, the
/// platform's hourly budget is raised by one upsert that refuses past <see cref="PortalAuthOptions.PlatformCodesPerHour"/>.
/// Every refusal is the same rate-limited answer, known phone or not.
/// Before all that, a mobile of a country the business does not text codes to (Setup → Client Portal, Tenancy's
/// <c>smsCountries</c>; its own country until staff choose) is refused on <c>mobile</c>, naming the countries: nothing is
/// counted, saved or sent. It is checked here, where every code leaves (sign-in and proof, start and resend), so a resend
/// after the business narrowed its list is refused too. The answer says only what the business texts to, known phone or not.
/// </summary>
public sealed class CodeIssuer(PortalAuthDbContext db, ITenantContext tenant, SmsCountryRule countryRule, SignInCodes codes, SmsQueue sms, PortalAuthOptions options, TimeProvider clock)
{
    /// <summary>
    /// The attempt's <see cref="SignInAttempt.Purpose"/> says what the code is for: its hash is bound to it
    /// (<see cref="SignInCodes.Hash"/>), so the code opens nothing else, and the text says it.
    /// </summary>
    /// <param name="alongside">
    /// Work that must be saved with this send or not at all (in its transaction, after the limits passed): a step the
    /// send uses up, such as the code that proved the current mobile before a change (it throws to refuse the send).
    /// </param>
    public async Task IssueAsync(SignInAttempt attempt, bool isNew, string ip, CancellationToken cancellationToken, Func<CancellationToken, Task>? alongside = null)
    {
        var purpose = attempt.Purpose;
        var tenantId = tenant.TenantId!.Value;
        if (await countryRule.CheckAsync(attempt.Mobile, cancellationToken) is { Allowed: false } verdict)
        {
            throw ProblemException.Invalid("mobile", SmsCountries.Refusal(verdict.Countries, attempt.Mobile));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.LockForTransactionAsync($"sms-phone:{attempt.Mobile}", cancellationToken);
        await db.Database.LockForTransactionAsync($"sms-ip:{ip}", cancellationToken);
        await db.Database.LockForTransactionAsync($"sms-tenant:{tenantId}", cancellationToken);

        var now = clock.GetUtcNow();
        var hourAgo = now.AddHours(-1);
        var toPhone = await db.CodeSends.AsNoTracking()
            .Where(s => s.Mobile == attempt.Mobile && s.At > hourAgo)
            .Select(s => new { s.TenantId, s.At }).ToListAsync(cancellationToken);
        var fromIp = await db.CodeSends.CountAsync(s => s.Ip == ip && s.At > hourAgo, cancellationToken);
        var forTenant = await db.CodeSends.CountAsync(s => s.TenantId == tenantId && s.At > hourAgo, cancellationToken);
        var recent = new RecentSends(
            toPhone.Where(s => s.TenantId == tenantId).Select(s => s.At).ToList(), toPhone.Select(s => s.At).ToList(), fromIp, forTenant);
        if (SendLimits.RetryAfterSeconds(recent, now, options) is { } wait)
        {
            throw TooMany(wait);
        }

        if (alongside is not null)
        {
            await alongside(cancellationToken);
        }

        var code = SignInCodes.NewCode();
        attempt.CodeHash = codes.Hash(attempt.Id, code, purpose);
        attempt.CodeSentAt = now;
        attempt.CodeExpiresAt = now + options.CodeLifetime;
        if (isNew)
        {
            db.Attempts.Add(attempt);
        }

        db.CodeSends.Add(new CodeSend { Id = Guid.CreateVersion7(), Mobile = attempt.Mobile, Ip = ip, At = now });
        await db.SaveChangesAsync(cancellationToken);
        if (purpose is CodePurpose.SignIn or CodePurpose.ChangeEmail or CodePurpose.ConfirmMobile)
        {
            // The number on file has now had a code from the business: changing or removing it later is worth a text to
            // it (decision 304). A proof's number is not on the client's file yet; its proof sets this when it succeeds.
            await db.Clients.Where(c => c.Mobile == attempt.Mobile && c.MobileVerified)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.MobileUsedAt, now), cancellationToken);
        }
        // Last, so only a send that goes counts, and the budget row's lock is held for the commit alone.
        if (!await SpendPlatformBudgetAsync(now, cancellationToken))
        {
            throw TooMany(SendLimits.UntilNextBudgetHour(now)); // the transaction rolls back with the attempt and the send
        }

        await transaction.CommitAsync(cancellationToken);

        var business = tenant.Current!.Name;
        var minutes = options.CodeLifetimeWords; // as the code pages say it
        sms.Enqueue(new QueuedSms(tenantId, attempt.Mobile, purpose switch
        {
            CodePurpose.ChangeEmail => $"{code} is your code to add or change the email address on your account with {business}. It expires in {minutes}. "
                + "If you did not ask for it, do not give it to anyone.",
            CodePurpose.ConfirmMobile => $"{code} is your code to change the mobile number on your account with {business} from this one to another. "
                + $"It expires in {minutes}. If you did not ask for it, do not give it to anyone.",
            CodePurpose.SignIn => $"{code} is your sign-in code for {business}. It expires in {minutes}.",
            _ => $"{code} is your code to verify your mobile for {business}. It expires in {minutes}.",
        }, new TextAbout(purpose switch
        {
            CodePurpose.SignIn => TextKinds.SignInCode,
            CodePurpose.ChangeEmail => TextKinds.EmailChangeCode,
            CodePurpose.ConfirmMobile => TextKinds.MobileChangeCode,
            _ => TextKinds.MobileCode,
        }, attempt.ClientId), now));
    }

    private static ProblemException TooMany(int seconds) =>
        ProblemException.RateLimited(seconds, "Too many codes were asked for. Wait a little before asking again.");

    /// <summary>
    /// Counts one send in this hour's platform budget, unless the budget is spent: one statement, so concurrent sends
    /// queue on the hour's row and the last one in sees every one before it.
    /// </summary>
    private async Task<bool> SpendPlatformBudgetAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hour = SendLimits.BudgetHour(now);
        var spent = await db.Database.SqlQuery<int>($"""
            INSERT INTO portalauth.code_budget AS b (hour, sent) VALUES ({hour}, 1)
            ON CONFLICT (hour) DO UPDATE SET sent = b.sent + 1 WHERE b.sent < {options.PlatformCodesPerHour}
            RETURNING b.sent AS "Value"
            """).ToListAsync(cancellationToken);
        return spent.Count == 1 && spent[0] <= options.PlatformCodesPerHour;
    }
}
