using System.Text.Json.Serialization;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.Phone;
using Booking.PortalAuth.Features.Register;
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
/// </summary>
public sealed record StartMyMobileProof(string? Mobile) : ICommand<CodeSent>
{
    /// <summary>The signed-in client, from the session; never from the body.</summary>
    [JsonIgnore]
    public Guid ClientId { get; init; }

    [JsonIgnore]
    public string Ip { get; init; } = "unknown";
}

/// <summary>Says nothing about who else holds the number: that shows only once its code is proven.</summary>
public sealed class StartMyMobileProofHandler(PortalAuthDbContext db, ITenantContext tenant, IPortalRules portal, CodeIssuer issuer, PortalAuthOptions options, TimeProvider clock)
    : ICommandHandler<StartMyMobileProof, CodeSent>
{
    public async ValueTask<CodeSent> Handle(StartMyMobileProof command, CancellationToken cancellationToken)
    {
        await PhoneSignInOffered.RequireAsync(portal, cancellationToken);
        var mobile = Mobiles.ToE164(command.Mobile, tenant.Current!.CountryCode)
            ?? throw ProblemException.Invalid("mobile", "Enter a valid mobile number.");
        var client = await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.Id == command.ClientId, cancellationToken)
            ?? throw ProblemException.Unauthenticated();
        if (client.Mobile == mobile && client.MobileVerified)
        {
            throw ProblemException.Invalid("mobile", "This is already your verified mobile.");
        }

        var attempt = new SignInAttempt { Id = Guid.CreateVersion7(), Mobile = mobile, ClientId = client.Id, CreatedAt = clock.GetUtcNow() };
        await issuer.IssueAsync(attempt, isNew: true, command.Ip, cancellationToken);
        return new CodeSent(attempt.Id, (int)options.ResendCooldown.TotalSeconds);
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

/// <summary>A new code on the client's own attempt, as phone sign-in's resend (the wrong-code count stays).</summary>
public sealed class ResendMyMobileCodeHandler(PortalAuthDbContext db, IPortalRules portal, CodeIssuer issuer, PortalAuthOptions options, TimeProvider clock)
    : ICommandHandler<ResendMyMobileCode, CodeSent>
{
    public async ValueTask<CodeSent> Handle(ResendMyMobileCode command, CancellationToken cancellationToken)
    {
        await PhoneSignInOffered.RequireAsync(portal, cancellationToken);
        var attempt = await Attempts.FindLiveAsync(db, command.AttemptId, command.ClientId, clock.GetUtcNow(), options, cancellationToken, ignoreCodeExpiry: true);
        await issuer.IssueAsync(attempt, isNew: false, command.Ip, cancellationToken);
        return new CodeSent(attempt.Id, (int)options.ResendCooldown.TotalSeconds);
    }
}

public sealed record VerifyMyMobile(string? AttemptId, string? Code) : ICommand<Unit>
{
    /// <summary>As typed, in any script's decimal digits (<see cref="SignInCodes.Normalised"/>), for the API and the pages alike.</summary>
    public string? Code { get; init; } = SignInCodes.Normalised(Code);

    [JsonIgnore]
    public Guid ClientId { get; init; }
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
/// </summary>
public sealed class VerifyMyMobileHandler(PortalAuthDbContext db, ITenantContext tenant, IPortalRules portal, SignInCodes codes, PortalAuthOptions options, TimeProvider clock)
    : ICommandHandler<VerifyMyMobile, Unit>
{
    public async ValueTask<Unit> Handle(VerifyMyMobile command, CancellationToken cancellationToken)
    {
        await PhoneSignInOffered.RequireAsync(portal, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var attempt = await Attempts.CheckCodeAsync(db, transaction, codes, options, command.AttemptId, command.Code!, command.ClientId, now, cancellationToken);
        attempt.ConsumedAt = now;
        await db.Database.LockForTransactionAsync($"mobile:{tenant.TenantId!.Value}:{attempt.Mobile}", cancellationToken);
        var client = await db.Clients.FirstOrDefaultAsync(c => c.Id == command.ClientId, cancellationToken)
            ?? throw ProblemException.Unauthenticated();
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

        client.Mobile = attempt.Mobile;
        client.MobileVerified = true;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation(PortalAuthDbContext.ClientMobileIndex))
        {
            // Registered by a concurrent request since the check (registration does not take this lock).
            throw PortalProblems.MobileTaken();
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
                Results.Accepted(value: await sender.Send(command with { ClientId = http.User.SubjectId(), Ip = http.ClientIp() }, ct)))
            .RequirePortalClient()
            .RequirePortalEnabled()
            .WithName("StartMyMobileProof")
            .WithTags("Portal")
            .Answers(403, ProblemKinds.Forbidden).Answers(429, ProblemKinds.RateLimited)
            .WithSummary("Text a code to a mobile the signed-in client wants on their account (phone sign-in's limits; "
                + "only where the business offers phone sign-in: else 403 `forbidden`).")
            .Accepts<StartMyMobileProof>("application/json")
            .Produces<CodeSent>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        app.MapPost("/api/v1/portal/me/mobile/resend", async (ResendMyMobileCode command, ISender sender, HttpContext http, CancellationToken ct) =>
                Results.Accepted(value: await sender.Send(command with { ClientId = http.User.SubjectId(), Ip = http.ClientIp() }, ct)))
            .RequirePortalClient()
            .RequirePortalEnabled()
            .WithName("ResendMyMobileCode")
            .WithTags("Portal")
            .Answers(403, ProblemKinds.Forbidden).Answers(410, ProblemKinds.AttemptExpired).Answers(429, ProblemKinds.RateLimited)
            .WithSummary("A new code on the signed-in client's own mobile attempt.")
            .Accepts<ResendMyMobileCode>("application/json")
            .Produces<CodeSent>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        app.MapPost("/api/v1/portal/me/mobile/verify", async (VerifyMyMobile command, ISender sender, HttpContext http, CancellationToken ct) =>
            {
                var clientId = http.User.SubjectId();
                await sender.Send(command with { ClientId = clientId }, ct);
                return Results.Ok(await sender.Send(new GetPortalMe(clientId), ct));
            })
            .RequirePortalClient()
            .RequirePortalEnabled()
            .WithName("VerifyMyMobile")
            .WithTags("Portal")
            .Answers(400, ProblemKinds.InvalidCode).Answers(403, ProblemKinds.Forbidden).Answers(410, ProblemKinds.AttemptExpired)
            .WithSummary("Check the code: the mobile goes on the signed-in client's account, verified (as `GET /api/v1/portal/me` answers). "
                + "Another client's verified number → `validation` on `mobile`; another client's unverified claim is taken over.")
            .Accepts<VerifyMyMobile>("application/json")
            .Produces<PortalMe>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status410Gone);
    }

}
