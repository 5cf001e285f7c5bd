using System.Text.Json.Serialization;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.FirstRequestGate;
using Booking.PortalAuth.Features.Register;
using Booking.Tenancy.Contracts;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Booking.PortalAuth.Features.Phone;

/// <summary>
/// Codes go out only where the business offers sign-in by mobile phone (403 <c>forbidden</c> otherwise): for signing in,
/// and for proving a mobile from the portal, which serves only phone sign-in (a business without it may have no SMS
/// carrier, pays for each text, and no claim can be taken over meanwhile).
/// </summary>
internal static class PhoneSignInOffered
{
    public static async Task RequireAsync(IPortalRules portal, CancellationToken cancellationToken)
    {
        if (!(await portal.GetAsync(cancellationToken)).PhoneSignIn)
        {
            throw PortalProblems.MethodOff("mobile phone");
        }
    }
}

public sealed record CodeSent(Guid AttemptId, int ResendAfterSeconds);

public sealed record StartPhoneSignIn(string? Mobile) : ICommand<CodeSent>
{
    [JsonIgnore]
    public string Ip { get; init; } = "unknown";
}

/// <summary>
/// The <c>mobile</c> refusal of a number a code cannot be texted to: a landline is said as one, with the business's phone
/// and email to book by instead (decision 281); an empty box asks for the number ("Enter your mobile number."); anything
/// else is not a valid mobile number, or a mobile typed without its area code (decision 356).
/// </summary>
internal static class MobileForCode
{
    public static async Task<Exception> RefusalAsync(ISender sender, ITenantContext tenant, string? input, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return ProblemException.Invalid("mobile", Mobiles.Missing);
        }

        if (!Mobiles.IsLandline(input, tenant.Current!.CountryCode))
        {
            return ProblemException.Invalid("mobile", Mobiles.NotValidFor(input, tenant.Current!.CountryCode));
        }

        var contact = (await sender.Send(new GetPortalSettings(), cancellationToken)).Contact;
        var reach = Booking.BuildingBlocks.Time.NoticePeriod.Reach(contact.PhoneDisplay ?? contact.Phone, contact.Email); // the one wording (decision 341)
        return ProblemException.Invalid("mobile", Mobiles.LandlineForCode(tenant.Current!.Name, reach));
    }
}

/// <summary>Always "code sent", known phone or not: whether the phone is on file shows only after the right code.</summary>
public sealed class StartPhoneSignInHandler(ITenantContext tenant, IPortalRules portal, CodeIssuer issuer, PortalAuthOptions options, ISender sender, TimeProvider clock)
    : ICommandHandler<StartPhoneSignIn, CodeSent>
{
    public async ValueTask<CodeSent> Handle(StartPhoneSignIn command, CancellationToken cancellationToken)
    {
        await PhoneSignInOffered.RequireAsync(portal, cancellationToken);

        var mobile = Mobiles.ToE164(command.Mobile, tenant.Current!.CountryCode)
            ?? throw await MobileForCode.RefusalAsync(sender, tenant, command.Mobile, cancellationToken);
        var attempt = new SignInAttempt { Id = Guid.CreateVersion7(), Mobile = mobile, CreatedAt = clock.GetUtcNow() };
        await issuer.IssueAsync(attempt, isNew: true, command.Ip, cancellationToken);
        return new CodeSent(attempt.Id, (int)options.ResendCooldown.TotalSeconds);
    }
}

public sealed record ResendCode(string? AttemptId) : ICommand<CodeSent>
{
    [JsonIgnore]
    public string Ip { get; init; } = "unknown";
}

/// <summary>A new code on the same attempt; the old code stops working, the wrong-code count stays.</summary>
public sealed class ResendCodeHandler(PortalAuthDbContext db, CodeIssuer issuer, PortalAuthOptions options, TimeProvider clock)
    : ICommandHandler<ResendCode, CodeSent>
{
    public async ValueTask<CodeSent> Handle(ResendCode command, CancellationToken cancellationToken)
    {
        var attempt = await Attempts.FindLiveAsync(db, command.AttemptId, provingClient: null, CodePurposes.SignIn, clock.GetUtcNow(), options, cancellationToken, ignoreCodeExpiry: true);
        await issuer.IssueAsync(attempt, isNew: false, command.Ip, cancellationToken);
        return new CodeSent(attempt.Id, (int)options.ResendCooldown.TotalSeconds);
    }
}

internal static class Attempts
{
    /// <summary>
    /// The attempt if it can still take a code; otherwise attempt-expired (unknown ids alike). <paramref name="provingClient"/>:
    /// null for phone sign-in, else the signed-in client whose attempt it must be; <paramref name="purposes"/>: what the
    /// route takes it for. An attempt of another kind or purpose, or another client's, answers as an unknown id: a
    /// sign-in code never proves a mobile for an account, an email-change code never resends as a mobile proof, and so on.
    /// </summary>
    public static async Task<SignInAttempt> FindLiveAsync(PortalAuthDbContext db, string? attemptId, Guid? provingClient, IReadOnlyCollection<CodePurpose> purposes,
        DateTimeOffset now, PortalAuthOptions options, CancellationToken cancellationToken, bool ignoreCodeExpiry = false)
    {
        if (!Guid.TryParse(attemptId, out var id))
        {
            throw PortalProblems.AttemptExpired();
        }

        var attempt = await db.Attempts.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (attempt is null
            || attempt.ClientId != provingClient
            || !purposes.Contains(attempt.Purpose)
            || attempt.VerifiedAt is not null
            || attempt.WrongCodes >= options.MaxWrongCodes
            || now > attempt.CreatedAt + options.AttemptLifetime
            || (!ignoreCodeExpiry && now > attempt.CodeExpiresAt))
        {
            throw PortalProblems.AttemptExpired();
        }

        return attempt;
    }

    /// <summary>
    /// Checks a code under a lock on the attempt, in the caller's transaction: single use, bound to the attempt (and
    /// its kind, <paramref name="provingClient"/>, and the <paramref name="purposes"/> the route takes: an attempt made
    /// for another is an unknown one, and no wrong code is counted on it), 5 wrong codes kill it. A wrong code is counted
    /// and committed, then invalid-code; the right one marks the attempt verified, for the caller to save with its own changes.
    /// </summary>
    public static async Task<SignInAttempt> CheckCodeAsync(PortalAuthDbContext db, IDbContextTransaction transaction, SignInCodes codes, PortalAuthOptions options,
        string? attemptId, string code, Guid? provingClient, IReadOnlyCollection<CodePurpose> purposes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Locked on the id, not on the text: "{ID}", "ID" and "id" name one attempt, and tries sent at once under
        // different spellings must still count each other's wrong codes.
        var lockKey = Guid.TryParse(attemptId, out var id) ? id.ToString("N") : attemptId;
        await db.Database.LockForTransactionAsync("attempt:" + lockKey, cancellationToken);
        var attempt = await FindLiveAsync(db, attemptId, provingClient, purposes, now, options, cancellationToken);
        if (!codes.Matches(attempt.Id, code, attempt.CodeHash, attempt.Purpose))
        {
            attempt.WrongCodes++;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            throw PortalProblems.InvalidCode(Math.Max(0, options.MaxWrongCodes - attempt.WrongCodes));
        }

        attempt.VerifiedAt = now;
        return attempt;
    }
}

public sealed class ResendCodeValidator : AbstractValidator<ResendCode>
{
    public ResendCodeValidator() => RuleFor(x => x.AttemptId).NotEmpty().WithMessage("Give the attempt id.");
}

public sealed record VerifyCode(string? AttemptId, string? Code) : ICommand<CodeVerified>
{
    /// <summary>As typed, in any script's decimal digits (<see cref="SignInCodes.Normalised"/>), for the API and the pages alike.</summary>
    public string? Code { get; init; } = SignInCodes.Normalised(Code);
}

/// <summary>Outcome "signed-in" (ClientId set) or "new-client" (the verified attempt carries on into the new-client flow).</summary>
/// Standing (signed-in only): where the client on file stands (<see cref="ClientStanding"/>, email sign-in's rule too).
/// ClaimedByEmail (new-client only): the masked email of a client who typed this number at email registration without
/// proving it: likely the same person, who should sign in there (review J8).
public sealed record CodeVerified(string Outcome, Guid? ClientId, Guid AttemptId, ClientStanding? Standing = null, string? ClaimedByEmail = null);

public sealed class VerifyCodeValidator : AbstractValidator<VerifyCode>
{
    public VerifyCodeValidator()
    {
        RuleFor(x => x.AttemptId).NotEmpty().WithMessage("Give the attempt id.");
        RuleFor(x => x.Code).Must(SignInCodes.IsWellFormed).WithMessage("The code is 6 digits.");
    }
}

/// <summary>
/// Checks a code under a lock on the attempt: single use, bound to the attempt, 5 wrong codes kill it.
/// </summary>
public sealed class VerifyCodeHandler(PortalAuthDbContext db, IPortalRules portal, SignInCodes codes, PortalAuthOptions options, TimeProvider clock, ISender sender)
    : ICommandHandler<VerifyCode, CodeVerified>
{
    public async ValueTask<CodeVerified> Handle(VerifyCode command, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var attempt = await Attempts.CheckCodeAsync(db, transaction, codes, options, command.AttemptId, command.Code!, provingClient: null, CodePurposes.SignIn, clock.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // Only a verified mobile is on file: one typed at email registration is someone's claim, not proof, so its
        // proven owner goes on as an unknown phone would.
        var client = await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.Mobile == attempt.Mobile && c.MobileVerified, cancellationToken);
        if (client is not null)
        {
            // The holder has now used the number: changing or removing it later is worth a text to it (decision 304).
            await db.Clients.Where(c => c.Id == client.Id && c.Mobile == attempt.Mobile)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.MobileUsedAt, attempt.VerifiedAt), cancellationToken);
            return new CodeVerified("signed-in", client.Id, attempt.Id, await FirstRequestOwed.StandingAsync(sender, portal, client, cancellationToken));
        }

        if (!(await portal.GetAsync(cancellationToken)).TakesNewClients)
        {
            throw PortalProblems.NotAcceptingNewClients();
        }

        return new CodeVerified("new-client", null, attempt.Id, ClaimedByEmail: await MobileClaims.ClaimantEmailAsync(db, attempt.Mobile, cancellationToken));
    }
}
