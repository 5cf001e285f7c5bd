using System.Text.Json.Serialization;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.Phone;
using Booking.PortalAuth.Features.Register;
using Booking.PortalAuth.Features.Sessions;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Me;

/// <summary>
/// A signed-in client proves a mobile by an SMS code (<c>POST /api/v1/portal/me/mobile/start</c>, the Your details page):
/// the phone sign-in's attempts, limits and SMS adapter, with the attempt bound to the client (<see cref="SignInAttempt.ClientId"/>).
/// A client whose mobile is already verified first proves it is them (decision 237): their current password when they
/// have one (<see cref="CurrentPassword"/>), else a code texted to the current mobile (<see cref="SendMyCurrentMobileCode"/>:
/// <see cref="CurrentMobileAttemptId"/> and <see cref="CurrentMobileCode"/>). Otherwise whoever holds an open session
/// could move the account's phone sign-in to their own number.
/// </summary>
public sealed record StartMyMobileProof(string? Mobile, string? CurrentPassword = null, string? CurrentMobileAttemptId = null, string? CurrentMobileCode = null)
    : ICommand<CodeSent>
{
    /// <summary>As typed, in any script's decimal digits (<see cref="SignInCodes.Normalised"/>).</summary>
    public string? CurrentMobileCode { get; init; } = SignInCodes.Normalised(CurrentMobileCode);

    /// <summary>The signed-in client, from the session; never from the body.</summary>
    [JsonIgnore]
    public Guid ClientId { get; init; }

    /// <summary>The session the change is asked from: wrong current passwords count for the account's changes (decision 193).</summary>
    [JsonIgnore]
    public string? CurrentSession { get; init; }

    [JsonIgnore]
    public string Ip { get; init; } = "unknown";
}

public sealed class StartMyMobileProofValidator : AbstractValidator<StartMyMobileProof>
{
    public StartMyMobileProofValidator()
    {
        RuleFor(x => x.CurrentPassword).MaximumLength(1024).WithMessage("Use at most 1024 characters.");
        RuleFor(x => x.CurrentMobileCode).Must(SignInCodes.IsWellFormed).When(x => !string.IsNullOrEmpty(x.CurrentMobileCode)).WithMessage("The code is 6 digits.");
    }
}

/// <summary>
/// Says nothing about who else holds the number: that shows only once its code is proven. A first mobile (none verified
/// yet) needs the session only (<see cref="CodePurpose.AddMobile"/>); replacing a verified one needs the proof above
/// first (<see cref="CodePurpose.ChangeMobile"/>), checked before anything is sent to the new number. A code that
/// proved the current mobile is used up with the send to the new number, in its transaction: a send the limits or the
/// countries refuse leaves it usable.
/// </summary>
public sealed class StartMyMobileProofHandler(
    PortalAuthDbContext db, ITenantContext tenant, IPortalRules portal, CodeIssuer issuer, PasswordHashing passwords, PasswordThrottle throttle, SignInCodes codes,
    PortalAuthOptions options, ISender sender, TimeProvider clock)
    : ICommandHandler<StartMyMobileProof, CodeSent>
{
    public async ValueTask<CodeSent> Handle(StartMyMobileProof command, CancellationToken cancellationToken)
    {
        await PhoneSignInOffered.RequireAsync(portal, cancellationToken);
        var mobile = Mobiles.ToE164(command.Mobile, tenant.Current!.CountryCode)
            ?? throw await MobileForCode.RefusalAsync(sender, tenant, command.Mobile, cancellationToken);
        var client = await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.Id == command.ClientId, cancellationToken)
            ?? throw ProblemException.Unauthenticated();
        if (client.Mobile == mobile && client.MobileVerified)
        {
            throw ProblemException.Invalid("mobile", "This is already your verified mobile.");
        }

        var replacing = client is { Mobile: not null, MobileVerified: true };
        Func<CancellationToken, Task>? useProof = null;
        if (replacing && client.PasswordHash is not null)
        {
            if (string.IsNullOrEmpty(command.CurrentPassword))
            {
                throw ProblemException.Invalid("currentPassword", "Enter your current password.");
            }

            await throttle.VerifyCurrentAsync(db, passwords, client.Email ?? client.Id.ToString(), client.PasswordHash, command.CurrentPassword, command.CurrentSession,
                cancellationToken);
        }
        else if (replacing)
        {
            useProof = await CurrentMobileCode.CheckAsync(db, codes, options, client, command.CurrentMobileAttemptId, command.CurrentMobileCode, clock.GetUtcNow(),
                cancellationToken);
        }

        var attempt = new SignInAttempt
        {
            Id = Guid.CreateVersion7(),
            Mobile = mobile,
            ClientId = client.Id,
            Purpose = replacing ? CodePurpose.ChangeMobile : CodePurpose.AddMobile,
            CreatedAt = clock.GetUtcNow(),
        };
        await OwnWrites.RunAsync(() => issuer.IssueAsync(attempt, isNew: true, command.Ip, cancellationToken, useProof));
        return new CodeSent(attempt.Id, (int)options.ResendCooldown.TotalSeconds);
    }
}

/// <summary>
/// A signed-in client without a password, whose mobile is verified, asks for the code that proves it before they replace
/// it (<c>POST /api/v1/portal/me/mobile/current-code</c>, the mobile page's "Text my current mobile a code"): texted to
/// that mobile through <see cref="CodeIssuer"/> (its limits and countries), for this purpose only
/// (<see cref="CodePurpose.ConfirmMobile"/>). Each ask is a new attempt; a code lasts 10 minutes and works once.
/// </summary>
public sealed record SendMyCurrentMobileCode : ICommand<CodeSent>
{
    [JsonIgnore]
    public Guid ClientId { get; init; }

    [JsonIgnore]
    public string Ip { get; init; } = "unknown";
}

public sealed class SendMyCurrentMobileCodeHandler(PortalAuthDbContext db, IPortalRules portal, CodeIssuer issuer, PortalAuthOptions options, TimeProvider clock)
    : ICommandHandler<SendMyCurrentMobileCode, CodeSent>
{
    public async ValueTask<CodeSent> Handle(SendMyCurrentMobileCode command, CancellationToken cancellationToken)
    {
        await PhoneSignInOffered.RequireAsync(portal, cancellationToken);
        var client = await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.Id == command.ClientId, cancellationToken)
            ?? throw ProblemException.Unauthenticated();
        return await OwnMobileCode.SendAsync(issuer, options, clock, client, CodePurpose.ConfirmMobile, command.Ip,
            "You have a password: give it to change your mobile. No code is needed.",
            "Your account has no verified mobile yet, so there is nothing to prove: verify one under Your details.", cancellationToken);
    }
}

/// <summary>
/// The check of <see cref="StartMyMobileProof"/> for a client without a password who replaces a verified mobile
/// (<see cref="OwnMobileCode.CheckAsync"/>): a code sent for this purpose to that mobile. The right code is not used up
/// here: the returned step does that in the send to the new number, only if the attempt is still unused then (two starts
/// with one code send once).
/// </summary>
internal static class CurrentMobileCode
{
    private static readonly OwnMobileCode.Fields Fields = new(
        "currentMobileAttemptId", "To change a verified mobile, ask for a code to it first (POST /api/v1/portal/me/mobile/current-code), then give it with its attempt id.",
        "currentMobileCode", "Enter the code we texted to your current mobile.");

    public static async Task<Func<CancellationToken, Task>> CheckAsync(PortalAuthDbContext db, SignInCodes codes, PortalAuthOptions options, Client client,
        string? attemptId, string? code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        SignInAttempt attempt;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            attempt = await OwnMobileCode.CheckAsync(db, transaction, codes, options, client, CodePurposes.ConfirmMobile, Fields, attemptId, code, now, cancellationToken);
            db.Entry(attempt).State = EntityState.Detached; // not saved here: the send below uses it up, or nothing does
        }

        var id = attempt.Id;
        return async ct =>
        {
            var used = await db.Attempts
                .Where(a => a.Id == id && a.Purpose == CodePurpose.ConfirmMobile && a.VerifiedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.VerifiedAt, now).SetProperty(a => a.ConsumedAt, now), ct);
            if (used == 0)
            {
                throw PortalProblems.AttemptExpired(); // used by another request meanwhile
            }
        };
    }
}

public sealed record ResendMyMobileCode(string? AttemptId) : ICommand<CodeSent>
{
    [JsonIgnore]
    public Guid ClientId { get; init; }

    [JsonIgnore]
    public string Ip { get; init; } = "unknown";
}

public sealed class ResendMyMobileCodeValidator : AbstractValidator<ResendMyMobileCode>
{
    public ResendMyMobileCodeValidator() => RuleFor(x => x.AttemptId).NotEmpty().WithMessage("Give the attempt id.");
}

/// <summary>
/// A new code on the client's own attempt to prove a mobile, as phone sign-in's resend (the wrong-code count stays). Any
/// other attempt (a sign-in, another client's, or one of this client's made for another purpose: the email step's or
/// the current mobile's code) answers as an unknown attempt.
/// </summary>
public sealed class ResendMyMobileCodeHandler(PortalAuthDbContext db, IPortalRules portal, CodeIssuer issuer, PortalAuthOptions options, TimeProvider clock)
    : ICommandHandler<ResendMyMobileCode, CodeSent>
{
    public async ValueTask<CodeSent> Handle(ResendMyMobileCode command, CancellationToken cancellationToken)
    {
        await PhoneSignInOffered.RequireAsync(portal, cancellationToken);
        var attempt = await Attempts.FindLiveAsync(db, command.AttemptId, command.ClientId, CodePurposes.MobileProof, clock.GetUtcNow(), options, cancellationToken,
            ignoreCodeExpiry: true);
        await OwnWrites.RunAsync(() => issuer.IssueAsync(attempt, isNew: false, command.Ip, cancellationToken));
        return new CodeSent(attempt.Id, (int)options.ResendCooldown.TotalSeconds);
    }
}

public sealed record VerifyMyMobile(string? AttemptId, string? Code) : ICommand<Unit>
{
    /// <summary>As typed, in any script's decimal digits (<see cref="SignInCodes.Normalised"/>), for the API and the pages alike.</summary>
    public string? Code { get; init; } = SignInCodes.Normalised(Code);

    [JsonIgnore]
    public Guid ClientId { get; init; }

    /// <summary>The session the proof is made from: it stays when the mobile it replaces ends the others.</summary>
    [JsonIgnore]
    public string? CurrentSession { get; init; }
}

public sealed class VerifyMyMobileValidator : AbstractValidator<VerifyMyMobile>
{
    public VerifyMyMobileValidator()
    {
        RuleFor(x => x.AttemptId).NotEmpty().WithMessage("Give the attempt id.");
        RuleFor(x => x.Code).Must(SignInCodes.IsWellFormed).WithMessage("The code is 6 digits.");
    }
}

/// <summary>
/// The right code puts the mobile on the client's account, verified. Another client's verified number is refused
/// (on <c>mobile</c>: they sign in with it), but only after the code: before it, nothing about the number is told.
/// Another client's unverified claim is taken over (decision 99) and that client is emailed. One transaction: the
/// number is locked, so two proofs of one number at once decide one after the other.
/// <para>
/// Replacing a verified mobile ends the client's other sessions in that transaction (the one the proof is made from,
/// <see cref="VerifyMyMobile.CurrentSession"/>, stays), as a change of password does: the usual reason to change a
/// number is a lost or passed-on phone, and a session opened by phone with the old number, or on a device signed in
/// before, must not keep the account. A staff change of the mobile ends every session (<c>ChangeClientHandler</c>);
/// a first mobile, or a proof of the number already on file, replaces nothing and ends nothing.
/// </para>
/// <para>
/// The replacement is told (<see cref="Contracts.ClientMobileChanged"/> with <c>ByClient</c>, decision 348): the old number
/// by text when it was proven the client's, and the email on file, in their own words, through the outbox written in
/// this transaction.
/// </para>
/// </summary>
public sealed class VerifyMyMobileHandler(PortalAuthDbContext db, ITenantContext tenant, IPortalRules portal, SignInCodes codes, PortalAuthOptions options, TimeProvider clock)
    : ICommandHandler<VerifyMyMobile, Unit>
{
    public async ValueTask<Unit> Handle(VerifyMyMobile command, CancellationToken cancellationToken)
    {
        await PhoneSignInOffered.RequireAsync(portal, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var attempt = await Attempts.CheckCodeAsync(db, transaction, codes, options, command.AttemptId, command.Code!, command.ClientId, CodePurposes.MobileProof, now,
            cancellationToken);
        attempt.ConsumedAt = now;
        // The number first, then the client's row (staff's add and change take them in this order too): what the
        // client's mobile is now decides whether this attempt may replace it.
        await db.Database.LockForTransactionAsync($"mobile:{tenant.TenantId!.Value}:{attempt.Mobile}", cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM portalauth.clients WHERE id = {command.ClientId} FOR NO KEY UPDATE", cancellationToken);
        var client = await db.Clients.FirstOrDefaultAsync(c => c.Id == command.ClientId, cancellationToken)
            ?? throw ProblemException.Unauthenticated();
        if (attempt.Purpose == CodePurpose.AddMobile && client is { Mobile: not null, MobileVerified: true } && client.Mobile != attempt.Mobile)
        {
            // Asked for while the account had no verified mobile; it has one now, and replacing it needs proof first.
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            throw ProblemException.Invalid("mobile", "Your account has a verified mobile now. To change it, start again: we will ask you to prove it is you first.");
        }

        var holder = await db.Clients.FirstOrDefaultAsync(c => c.Mobile == attempt.Mobile && c.Id != client.Id, cancellationToken);
        if (holder is { MobileVerified: true })
        {
            // The code is used up either way; the number stays with the client who proved it first.
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            throw ProblemException.Invalid("mobile", "This mobile number is on another client's account, which signs in with it. If it is yours, sign in with it by phone, or ask the business.");
        }

        if (holder is not null)
        {
            MobileClaims.TakeOver(db, holder);
            await db.SaveChangesAsync(cancellationToken); // freed first: the unique index on (tenant, mobile) is checked per statement
        }

        var replacing = client is { Mobile: not null, MobileVerified: true } && client.Mobile != attempt.Mobile;
        if (replacing)
        {
            // A sign-in factor changed: the old number (when proven the client's: a staff-typed one nobody used may be a
            // stranger's, decision 304) and the email on file are told, in case this session was not the owner's
            // (decision 348). Written with the change, so it is told once, and only if the change commits.
            db.Publish(new Contracts.ClientMobileChanged(Guid.CreateVersion7(), tenant.TenantId!.Value, client.Id, client.FirstName, client.Email,
                client.Mobile!, client.MobileUsed, Contracts.ClientMobileChanged.Ending(attempt.Mobile), now, ByClient: true));
        }

        client.Mobile = attempt.Mobile;
        client.MobileVerified = true;
        client.MobileUsedAt = now;
        client.MobileVouchedByStaff = false; // proven by the account's holder: a claim of an unproven email takes it off (decision 262)
        // The client's other codes under way (another number being proved, a code to the mobile just replaced) end here:
        // none of them may later put a number on the account without the proof this one needed.
        await db.Attempts.Where(a => a.ClientId == client.Id && a.Id != attempt.Id && a.VerifiedAt == null).ExecuteDeleteAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation(PortalAuthDbContext.ClientMobileIndex))
        {
            // Registered by a concurrent request since the check (registration does not take this lock).
            throw PortalProblems.MobileTaken();
        }

        if (replacing)
        {
            await PortalSessions.EndAllInTransactionAsync(db, tenant.TenantId!.Value, client.Id, now, cancellationToken, keep: command.CurrentSession);
        }

        await transaction.CommitAsync(cancellationToken);
        return Unit.Value;
    }
}

public static class MyMobileEndpoints
{
    public static void MapMyMobile(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/portal/me/mobile/start", async (StartMyMobileProof command, ISender sender, HttpContext http, CancellationToken ct) =>
                Results.Accepted(value: await sender.Send(command with
                {
                    ClientId = http.User.SubjectId(),
                    CurrentSession = PortalSessions.CurrentKey(http),
                    Ip = http.ClientIp(),
                }, ct)))
            .RequirePortalClient()
            .RequirePortalEnabled()
            .WithName("StartMyMobileProof")
            .WithTags("Portal")
            // 400 invalid-code and 410 attempt-expired: the current mobile's code, given to replace a verified mobile (CurrentMobileCode).
            .Answers(400, ProblemKinds.InvalidCode).Answers(403, ProblemKinds.Forbidden).Answers(410, ProblemKinds.AttemptExpired)
            .Answers(429, ProblemKinds.RateLimited)
            .WithSummary("Text a code to a mobile the signed-in client wants on their account (phone sign-in's limits; "
                + "only where the business offers phone sign-in: else 403 `forbidden`). Replacing a verified mobile needs `currentPassword` "
                + "(a client with a password) or `currentMobileAttemptId` and `currentMobileCode` from `me/mobile/current-code` (one without).")
            .Accepts<StartMyMobileProof>("application/json")
            .Produces<CodeSent>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        app.MapPost("/api/v1/portal/me/mobile/current-code", async (ISender sender, HttpContext http, CancellationToken ct) =>
                Results.Accepted(value: await sender.Send(new SendMyCurrentMobileCode { ClientId = http.User.SubjectId(), Ip = http.ClientIp() }, ct)))
            .RequirePortalClient()
            .RequirePortalEnabled()
            .WithName("SendMyCurrentMobileCode")
            .WithTags("Portal")
            .Answers(403, ProblemKinds.Forbidden).Answers(429, ProblemKinds.RateLimited)
            .WithSummary("Text a code to the signed-in client's verified mobile, which `me/mobile/start` needs (as `currentMobileAttemptId` and "
                + "`currentMobileCode`) to replace it, for a client without a password. A client with a password, or without a verified mobile: 403 `forbidden`.")
            .Produces<CodeSent>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        app.MapPost("/api/v1/portal/me/mobile/resend", async (ResendMyMobileCode command, ISender sender, HttpContext http, CancellationToken ct) =>
                Results.Accepted(value: await sender.Send(command with { ClientId = http.User.SubjectId(), Ip = http.ClientIp() }, ct)))
            .RequirePortalClient()
            .RequirePortalEnabled()
            .WithName("ResendMyMobileCode")
            .WithTags("Portal")
            .Answers(403, ProblemKinds.Forbidden).Answers(410, ProblemKinds.AttemptExpired).Answers(429, ProblemKinds.RateLimited)
            .WithSummary("A new code on the signed-in client's own attempt from `me/mobile/start`; any other attempt is `attempt-expired`.")
            .Accepts<ResendMyMobileCode>("application/json")
            .Produces<CodeSent>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        app.MapPost("/api/v1/portal/me/mobile/verify", async (VerifyMyMobile command, ISender sender, HttpContext http, CancellationToken ct) =>
            {
                var clientId = http.User.SubjectId();
                await sender.Send(command with { ClientId = clientId, CurrentSession = PortalSessions.CurrentKey(http) }, ct);
                return Results.Ok(await sender.Send(new GetPortalMe(clientId), ct));
            })
            .RequirePortalClient()
            .RequirePortalEnabled()
            .WithName("VerifyMyMobile")
            .WithTags("Portal")
            .Answers(400, ProblemKinds.InvalidCode).Answers(403, ProblemKinds.Forbidden).Answers(410, ProblemKinds.AttemptExpired)
            .WithSummary("Check the code: the mobile goes on the signed-in client's account, verified (as `GET /api/v1/portal/me` answers). "
                + "Another client's verified number → `validation` on `mobile`; another client's unverified claim is taken over. "
                + "Replacing a verified mobile ends the client's other sessions; this one stays.")
            .Accepts<VerifyMyMobile>("application/json")
            .Produces<PortalMe>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status410Gone);
    }

}
