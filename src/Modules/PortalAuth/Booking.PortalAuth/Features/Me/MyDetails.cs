using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.Phone;
using Booking.PortalAuth.Features.Register;
using Booking.PortalAuth.Features.Sessions;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Me;

/// <summary>A signed-in client changes their own first and last name (<c>PUT /api/v1/portal/me/name</c>, Your details).</summary>
public sealed record ChangeMyName(string? FirstName, string? LastName) : ICommand<Unit>
{
    /// <summary>The signed-in client, from the session; never from the body.</summary>
    [JsonIgnore]
    public Guid ClientId { get; init; }
}

/// <summary>Registration's rules and words for the two names (<see cref="RegisterValidator"/>): required, at most 100, one line.</summary>
public sealed class ChangeMyNameValidator : AbstractValidator<ChangeMyName>
{
    public ChangeMyNameValidator()
    {
        RuleFor(x => x.FirstName).NotEmpty().WithMessage("Enter your first name.").MaximumLength(100).WithMessage("Use at most 100 characters.").OneLine();
        RuleFor(x => x.LastName).NotEmpty().WithMessage("Enter your last name.").MaximumLength(100).WithMessage("Use at most 100 characters.").OneLine();
    }
}

public sealed class ChangeMyNameHandler(PortalAuthDbContext db) : ICommandHandler<ChangeMyName, Unit>
{
    public async ValueTask<Unit> Handle(ChangeMyName command, CancellationToken cancellationToken)
    {
        var client = await db.Clients.FirstOrDefaultAsync(c => c.Id == command.ClientId, cancellationToken)
            ?? throw ProblemException.Unauthenticated();
        client.FirstName = command.FirstName!.Trim();
        client.LastName = command.LastName!.Trim();
        await OwnWrites.SaveAsync(db, cancellationToken); // merged away meanwhile: 401
        return Unit.Value;
    }
}

/// <summary>
/// A signed-in client asks to use another email (or a first one) on their account (<c>POST /api/v1/portal/me/email/start</c>,
/// Your details → Change your email). Nothing changes yet: the new address is emailed a link
/// (<see cref="EmailChangeLinks"/>), and only opening it and confirming (<see cref="ConfirmMyEmail"/>) makes it the
/// client's. A client with a password gives it (<see cref="CurrentPassword"/>), as for a password change; one without
/// (a phone client) gives a fresh code texted to their verified mobile for this step (<see cref="SendMyEmailCode"/>:
/// <see cref="AttemptId"/> and <see cref="Code"/>), so a session alone, on a phone left signed in, cannot add an email.
/// </summary>
public sealed record StartMyEmailChange(string? Email, string? CurrentPassword, string? AttemptId = null, string? Code = null) : ICommand<EmailChangeSent>
{
    /// <summary>Trimmed before the validator checks it and before it is used.</summary>
    public string? Email { get; init; } = EmailAddress.Tidy(Email);

    /// <summary>As typed, in any script's decimal digits (<see cref="SignInCodes.Normalised"/>).</summary>
    public string? Code { get; init; } = SignInCodes.Normalised(Code);

    [JsonIgnore]
    public Guid ClientId { get; init; }

    /// <summary>The session the change is asked from: wrong current passwords count for the account's changes (decision 193).</summary>
    [JsonIgnore]
    public string? CurrentSession { get; init; }

    [JsonIgnore]
    public string Ip { get; init; } = "unknown";
}

/// <summary>The answer: where the link went and until when it works.</summary>
public sealed record EmailChangeSent(string SentTo, DateTimeOffset ExpiresAt);

public sealed class StartMyEmailChangeValidator : AbstractValidator<StartMyEmailChange>
{
    public StartMyEmailChangeValidator()
    {
        RuleFor(x => x.Email).Must(EmailAddress.IsValid).WithMessage("Enter a valid email address.");
        RuleFor(x => x.CurrentPassword).MaximumLength(1024).WithMessage("Use at most 1024 characters.");
        RuleFor(x => x.Code).Must(SignInCodes.IsWellFormed).When(x => !string.IsNullOrEmpty(x.Code)).WithMessage("The code is 6 digits.");
    }
}

/// <summary>
/// Checks, in this order: the address is not already the client's; the current password, when the client has one
/// (counted as a password change's, <see cref="PasswordThrottle.VerifyCurrentAsync"/>), else the code texted for this
/// step (<see cref="EmailChangeCode"/>); whether another client of the
/// business has the address. That is said (<c>validation</c> on <c>email</c>, registration's words) only where the
/// business takes registrations, where registering with it says the same; elsewhere the answer is the one a free
/// address gets and nothing is sent, so the request tells nothing registration would not. Then the limits (per client
/// and per address, <see cref="AddressLimits"/>), then the link, written to the outbox encrypted
/// (<see cref="ClientEmailChangeRequested"/>).
/// </summary>
public sealed class StartMyEmailChangeHandler(
    PortalAuthDbContext db, ITenantContext tenant, IPortalRules portal, PasswordHashing passwords, PasswordThrottle throttle, AddressLimits addressLimits,
    SignInCodes codes, PortalAuthOptions options, PublicOrigin origin, IDataProtectionProvider protection, TimeProvider clock)
    : ICommandHandler<StartMyEmailChange, EmailChangeSent>
{
    /// <summary>What the email-taken error tells a client changing their email.</summary>
    internal const string UseAnother = "use a different one";

    public async ValueTask<EmailChangeSent> Handle(StartMyEmailChange command, CancellationToken cancellationToken)
    {
        var client = await db.Clients.FirstOrDefaultAsync(c => c.Id == command.ClientId, cancellationToken)
            ?? throw ProblemException.Unauthenticated();
        var email = command.Email!.ToLowerInvariant();
        // The email on file, never proven, of a client without a password (typed by staff, or by a phone client before
        // decision 301): the link confirms it, after which forgot-password may set a password by it (AccountClaim.Refused).
        // A client with a password proves it by forgot-password as ever.
        if (email == client.Email && (client.EmailConfirmedAt is not null || client.PasswordHash is not null))
        {
            throw ProblemException.Invalid("email", "This is already your email address.");
        }

        if (client.PasswordHash is not null)
        {
            if (string.IsNullOrEmpty(command.CurrentPassword))
            {
                throw ProblemException.Invalid("currentPassword", "Enter your current password.");
            }

            await throttle.VerifyCurrentAsync(db, passwords, client.Email ?? client.Id.ToString(), client.PasswordHash, command.CurrentPassword, command.CurrentSession,
                cancellationToken);
        }

        // A client without a password: the code is checked (and a wrong one counted) here, and used up only with the rest
        // of this request: a refusal below (an address registration would refuse, the limits) rolls it back, so the same
        // code may be given again with another address.
        await using var transaction = client.PasswordHash is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        if (transaction is not null)
        {
            await EmailChangeCode.CheckAsync(db, transaction, codes, options, client, command.AttemptId, command.Code, clock.GetUtcNow(), cancellationToken);
        }

        var taken = await db.Clients.AnyAsync(c => c.Email == email && c.Id != client.Id, cancellationToken);
        if (taken && await portal.GetAsync(cancellationToken) is { EmailSignIn: true, AcceptingNewClients: true })
        {
            throw PortalProblems.EmailTaken(UseAnother); // registration says as much to anyone
        }

        var tenantId = tenant.TenantId!.Value;
        await addressLimits.CountAsync(
            [
                new AddressCap($"email-change:{tenantId}:{client.Id}", options.EmailChangesPerClientPerHour),
                new AddressCap($"email-change-to:{email}", options.EmailChangesPerAddressPerHour),
            ],
            "Too many email changes were asked for. Wait a while before trying again.", cancellationToken);

        var expiresAt = clock.GetUtcNow() + options.EmailChangeLinkLifetime;
        if (!taken)
        {
            EmailChangeLinks.Publish(db, protection, origin, tenant.Current!, client, email, expiresAt, clock.GetUtcNow());
        }

        await OwnWrites.SaveAsync(db, cancellationToken); // with the code's use, when there is one; merged away meanwhile: 401
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return new EmailChangeSent(email, expiresAt);
    }
}

/// <summary>
/// A signed-in client without a password asks for the code that adding or changing their email needs
/// (<c>POST /api/v1/portal/me/email/code</c>, the email page's "Text me a code"): texted to their verified mobile through
/// phone sign-in's <see cref="CodeIssuer"/> (its limits and countries), bound to this purpose
/// (<see cref="CodePurpose.ChangeEmail"/>), so a sign-in or mobile-proving code never stands in for it. Each ask is a
/// new attempt; a code lasts <see cref="PortalAuthOptions.CodeLifetime"/> (10 minutes) and works once.
/// </summary>
public sealed record SendMyEmailCode : ICommand<CodeSent>
{
    [JsonIgnore]
    public Guid ClientId { get; init; }

    [JsonIgnore]
    public string Ip { get; init; } = "unknown";
}

public sealed class SendMyEmailCodeHandler(PortalAuthDbContext db, ITenantContext tenant, CodeIssuer issuer, PortalAuthOptions options, TimeProvider clock)
    : ICommandHandler<SendMyEmailCode, CodeSent>
{
    public async ValueTask<CodeSent> Handle(SendMyEmailCode command, CancellationToken cancellationToken)
    {
        var client = await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.Id == command.ClientId, cancellationToken)
            ?? throw ProblemException.Unauthenticated();
        return await OwnMobileCode.SendAsync(issuer, options, clock, client, CodePurpose.ChangeEmail, command.Ip,
            "You have a password: give it to change your email. No code is needed.",
            $"Your account has no verified mobile to text a code to. Ask {tenant.Current!.Name} to change your email.", cancellationToken);
    }
}

/// <summary>
/// A code texted to a client's own verified mobile for one step of theirs (the email step's, the current mobile's before
/// replacing it): refused (403) to a client with a password, who gives that instead, and to one with no verified
/// mobile; else a new attempt of <paramref name="purpose"/> through <see cref="CodeIssuer"/> (its limits and countries).
/// The step then gives the code back with its own request, checked by <see cref="CheckAsync"/>.
/// </summary>
internal static class OwnMobileCode
{
    public static async Task<CodeSent> SendAsync(CodeIssuer issuer, PortalAuthOptions options, TimeProvider clock, Client client, CodePurpose purpose,
        string ip, string hasPassword, string noVerifiedMobile, CancellationToken cancellationToken)
    {
        if (client.PasswordHash is not null)
        {
            throw ProblemException.Forbidden(hasPassword);
        }

        if (client is not { Mobile: { } mobile, MobileVerified: true })
        {
            throw ProblemException.Forbidden(noVerifiedMobile);
        }

        var attempt = new SignInAttempt { Id = Guid.CreateVersion7(), Mobile = mobile, ClientId = client.Id, Purpose = purpose, CreatedAt = clock.GetUtcNow() };
        await OwnWrites.RunAsync(() => issuer.IssueAsync(attempt, isNew: true, ip, cancellationToken));
        return new CodeSent(attempt.Id, (int)options.ResendCooldown.TotalSeconds);
    }

    /// <summary>
    /// The check of a code <see cref="SendAsync"/> texted, as its step gives it (under the step's own <paramref name="fields"/>):
    /// an attempt of the client's for <paramref name="purposes"/>, sent to their verified mobile as it is now, within its
    /// lifetime, not used before; a sign-in or other step's code, another client's, one sent to a number the client no
    /// longer has, or an old one is refused. Wrong codes count as on the code pages (5 end the attempt), committed in
    /// <paramref name="transaction"/>. The right code's attempt comes back verified in memory only: when it is used up is
    /// the step's to say.
    /// </summary>
    public static async Task<SignInAttempt> CheckAsync(PortalAuthDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, SignInCodes codes,
        PortalAuthOptions options, Client client, IReadOnlyCollection<CodePurpose> purposes, Fields fields, string? attemptId, string? code, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(attemptId))
        {
            throw ProblemException.Invalid(fields.Attempt, fields.NoAttempt);
        }

        if (string.IsNullOrEmpty(code))
        {
            throw ProblemException.Invalid(fields.Code, fields.NoCode);
        }

        var attempt = await Attempts.CheckCodeAsync(db, transaction, codes, options, attemptId, code, client.Id, purposes, now, cancellationToken);
        if (attempt.Mobile != client.Mobile || !client.MobileVerified)
        {
            throw PortalProblems.AttemptExpired(); // sent to a number that is no longer the client's verified mobile
        }

        return attempt;
    }

    /// <summary>A step's names for the attempt id and the code in its request, and what it says when either is missing.</summary>
    public sealed record Fields(string Attempt, string NoAttempt, string Code, string NoCode);
}

/// <summary>
/// The check of <see cref="StartMyEmailChange"/> for a client without a password (<see cref="OwnMobileCode.CheckAsync"/>):
/// a code texted for adding or changing the email at most <see cref="PortalAuthOptions.CodeLifetime"/> (10 minutes) ago.
/// The right code is used up with the rest of the request, in its transaction: a refusal after the check rolls it back.
/// </summary>
internal static class EmailChangeCode
{
    private static readonly OwnMobileCode.Fields Fields = new(
        "attemptId", "Ask for a code to your mobile first (POST /api/v1/portal/me/email/code), then give it with its attempt id.",
        "code", "Enter the code we texted to your mobile.");

    public static async Task CheckAsync(PortalAuthDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, SignInCodes codes,
        PortalAuthOptions options, Client client, string? attemptId, string? code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var attempt = await OwnMobileCode.CheckAsync(db, transaction, codes, options, client, CodePurposes.ChangeEmail, Fields, attemptId, code, now, cancellationToken);
        attempt.ConsumedAt = now;
    }
}

/// <summary>
/// What an email-change link says: whose account, its email when the link was made (none for a phone client), the new
/// address, until when, and when it was made: an email changed since then (<c>Client.EmailChangedAt</c>) kills the link
/// even where the email is back to what the link names, else a link left in an address given up would work again.
/// <c>Stamp</c>: the client's <see cref="Client.SecurityStamp"/> when the link was made (0 in a link made
/// before links carried it, as every client's stamp was then): the account secured since (a password changed or reset,
/// a mobile replaced, any end of all the client's sessions) kills the link, else whoever asked for it from a session that
/// ended then could still move the account to their address and reset its password there (decision 328).
/// </summary>
public sealed record EmailChangeLink(Guid TenantId, Guid ClientId, string? OldEmail, string NewEmail, DateTimeOffset ExpiresAt, DateTimeOffset MadeAt, int Stamp = 0)
{
    /// <summary>
    /// The client's email is still the one the link was made from, and has not changed since (and back), nor been
    /// proven since (<paramref name="emailConfirmedAt"/>: a claim of the account by the address's owner, decision 262,
    /// ends what its holder before had under way), and the account has not been secured since (<paramref name="stamp"/>,
    /// the client's <see cref="Client.SecurityStamp"/> now, is the link's).
    /// </summary>
    public bool StillFor(string? email, DateTimeOffset? emailChangedAt, DateTimeOffset? emailConfirmedAt, int stamp) =>
        email == OldEmail && (emailChangedAt is null || emailChangedAt <= MadeAt) && (emailConfirmedAt is null || emailConfirmedAt <= MadeAt) && stamp == Stamp;
}

/// <summary>
/// The token of an email-change link: the <see cref="EmailChangeLink"/> encrypted and signed with ASP.NET Core Data
/// Protection (purpose <see cref="Purpose"/>, the keys cookies and reset links use), so nothing is stored for it (no
/// table). It works until its expiry, and once: it names the account's email as it was when asked, so
/// after it is used (the email is then the new one), after another link of the client's was used, or after staff
/// changed the email, it no longer matches and is dead; and it names the client's security stamp, so after any end of
/// all the client's sessions (a password change or reset, a replaced mobile) it is dead too (decision 328). A client who
/// asks twice gets two links; the first used wins.
/// </summary>
public static class EmailChangeLinks
{
    public const string Purpose = "Booking.EmailChangeLinks.v1";

    public static string Make(IDataProtectionProvider protection, EmailChangeLink link) =>
        protection.CreateProtector(Purpose).Protect(JsonSerializer.Serialize(link));

    /// <summary>The link's content, or null when the token is not one this deployment made for this purpose.</summary>
    public static EmailChangeLink? Read(IDataProtectionProvider protection, string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2000)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<EmailChangeLink>(protection.CreateProtector(Purpose).Unprotect(token));
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes to the outbox the link that makes <paramref name="newEmail"/> the client's (Notifications emails it there,
    /// <see cref="ClientEmailChangeRequested"/>), made from the client's email as it is now (<c>null</c> for none): Your
    /// details' change, and the new-client flow's email at a business without email sign-in (decision 272). Saved with the
    /// caller's changes.
    /// </summary>
    internal static void Publish(PortalAuthDbContext db, IDataProtectionProvider protection, PublicOrigin origin, TenantInfo business, Client client,
        string newEmail, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var token = Make(protection, new EmailChangeLink(business.Id, client.Id, client.Email, newEmail, expiresAt, now, client.SecurityStamp));
        // The configured origin, never the request's Host; the token ends the link, as a reset link's does.
        var url = $"{origin.Value}/ol/account/email/confirm?name={Uri.EscapeDataString(business.Slug)}&token={token}";
        db.Publish(new ClientEmailChangeRequested(Guid.CreateVersion7(), business.Id, client.Id, newEmail, client.FirstName,
            ProtectedResetLinks.Protect(protection, url), expiresAt));
    }

    /// <summary>The answer to a link that cannot change anything: expired, used, replaced by a change since, or not ours.</summary>
    public static FluentValidation.ValidationException Dead() =>
        ProblemException.Invalid("token", "This link has expired or was already used. Nothing was changed. Ask for a new one under Your details.");
}

/// <summary>The link's state for the page it opens (<c>/ol/account/email/confirm</c>), which asks before it changes anything.</summary>
public sealed record CheckEmailChangeLink(string? Token) : IQuery<EmailChangeLinkState>;

/// <param name="NewEmail">The address the link would make the client's; null when the link is dead.</param>
/// <param name="AlreadyDone">The client's email is that address already (the link was used).</param>
public sealed record EmailChangeLinkState(string? NewEmail, bool AlreadyDone);

public sealed class CheckEmailChangeLinkHandler(PortalAuthDbContext db, ITenantContext tenant, IDataProtectionProvider protection, TimeProvider clock)
    : IQueryHandler<CheckEmailChangeLink, EmailChangeLinkState>
{
    /// <summary>The link confirms the email already on file, which was never proven (decision 301), and still may.</summary>
    internal static bool ConfirmsOnFile(EmailChangeLink link, string? email, DateTimeOffset? emailChangedAt, DateTimeOffset? emailConfirmedAt, int stamp) =>
        link.OldEmail == link.NewEmail && emailConfirmedAt is null && link.StillFor(email, emailChangedAt, emailConfirmedAt, stamp);

    public async ValueTask<EmailChangeLinkState> Handle(CheckEmailChangeLink query, CancellationToken cancellationToken)
    {
        if (EmailChangeLinks.Read(protection, query.Token) is not { } link || link.TenantId != tenant.TenantId || link.ExpiresAt <= clock.GetUtcNow())
        {
            return new EmailChangeLinkState(null, false);
        }

        var email = await db.Clients.AsNoTracking().Where(c => c.Id == link.ClientId)
            .Select(c => new { c.Email, c.EmailChangedAt, c.EmailConfirmedAt, c.SecurityStamp }).FirstOrDefaultAsync(cancellationToken);
        // The account secured since the link was made: dead, even if it was used before (ConfirmMyEmail answers the same).
        return email is null || email.SecurityStamp != link.Stamp ? new EmailChangeLinkState(null, false)
            : email.Email == link.NewEmail && !ConfirmsOnFile(link, email.Email, email.EmailChangedAt, email.EmailConfirmedAt, email.SecurityStamp) ? new EmailChangeLinkState(link.NewEmail, true)
            : link.StillFor(email.Email, email.EmailChangedAt, email.EmailConfirmedAt, email.SecurityStamp) ? new EmailChangeLinkState(link.NewEmail, false)
            : new EmailChangeLinkState(null, false);
    }
}

/// <summary>
/// The emailed link, confirmed (<c>POST /api/v1/portal/auth/confirm-email</c>, the page the link opens): the address
/// that received it becomes the client's email. No session needed: the link proves the address, and the client asked
/// for it while signed in.
/// </summary>
public sealed record ConfirmMyEmail(string? Token) : ICommand<EmailConfirmed>;

/// <param name="HadPassword">The client has a password (else, to sign in with the email, they set one by forgot-password).</param>
/// <param name="AlreadyDone">The link had been used already: nothing changed now.</param>
public sealed record EmailConfirmed(string Email, [property: JsonIgnore] bool HadPassword, bool AlreadyDone);

public sealed class ConfirmMyEmailValidator : AbstractValidator<ConfirmMyEmail>
{
    public ConfirmMyEmailValidator() => RuleFor(x => x.Token).NotEmpty().WithMessage("Give the link's token.").MaximumLength(2000).WithMessage("Use at most 2000 characters.");
}

/// <summary>
/// Under a lock on the client's row (as staff's <c>ChangeClient</c>, so the two decide one after the other): the
/// link's old email must still be the client's; another client of the business holding the address now is refused on
/// <c>email</c> (the person opening the link holds that address, so this tells them nothing new), and the unique index
/// decides a race. The change cancels the client's unused reset links (sent to the old address) and, when there was an
/// old address, tells it (<see cref="ClientSignInEmailChanged"/> with <c>ByClient</c>). The client's sessions stay:
/// they made the change, proving both their password (if any) and the new address; so does the security stamp (the
/// client's other links are dead by the changed email already). A link made before the stamp last went up is dead
/// (decision 328).
/// </summary>
public sealed class ConfirmMyEmailHandler(PortalAuthDbContext db, ITenantContext tenant, IPortalRules portal, IDataProtectionProvider protection, TimeProvider clock)
    : ICommandHandler<ConfirmMyEmail, EmailConfirmed>
{
    public async ValueTask<EmailConfirmed> Handle(ConfirmMyEmail command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var tenantId = tenant.TenantId!.Value;
        if (EmailChangeLinks.Read(protection, command.Token) is not { } link || link.TenantId != tenantId || link.ExpiresAt <= now)
        {
            throw EmailChangeLinks.Dead();
        }

        // Read before the transaction: a refused save aborts it, and the refusal's words depend on these (TakenMeanwhile).
        var rules = await portal.GetAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM portalauth.clients WHERE id = {link.ClientId} FOR NO KEY UPDATE", cancellationToken);
        var client = await db.Clients.FirstOrDefaultAsync(c => c.Id == link.ClientId, cancellationToken) ?? throw EmailChangeLinks.Dead();
        if (client.SecurityStamp != link.Stamp)
        {
            // The account was secured since the link was made (its sessions ended for a password change or reset, a
            // replaced mobile, …): whoever asked for the link may be whom that locked out (decision 328). A dead link's
            // answer, even for a link used before: "expired or already used" says both.
            throw EmailChangeLinks.Dead();
        }

        if (CheckEmailChangeLinkHandler.ConfirmsOnFile(link, client.Email, client.EmailChangedAt, client.EmailConfirmedAt, client.SecurityStamp))
        {
            client.EmailConfirmedAt = now; // the address on file is proven its mailbox's: no change, nothing to tell
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new EmailConfirmed(link.NewEmail, client.PasswordHash is not null, AlreadyDone: false);
        }

        if (client.Email == link.NewEmail)
        {
            return new EmailConfirmed(link.NewEmail, client.PasswordHash is not null, AlreadyDone: true);
        }

        if (!link.StillFor(client.Email, client.EmailChangedAt, client.EmailConfirmedAt, client.SecurityStamp))
        {
            throw EmailChangeLinks.Dead(); // changed since the link was made (another link, or staff), even if back again
        }

        if (await db.Clients.AnyAsync(c => c.Email == link.NewEmail && c.Id != client.Id, cancellationToken))
        {
            throw TakenMeanwhile(rules);
        }

        var oldEmail = client.Email;
        client.Email = link.NewEmail;
        client.EmailChangedAt = now;
        client.EmailConfirmedAt = now; // the link proved the address
        await foreach (var token in db.ResetTokens.Where(t => t.ClientId == client.Id && t.UsedAt == null).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            token.UsedAt = now; // sent to the old address: they would set the password of the account the new one signs in to
        }

        if (oldEmail is not null)
        {
            db.Publish(new ClientSignInEmailChanged(Guid.CreateVersion7(), tenantId, client.Id, client.FirstName, oldEmail, link.NewEmail, now, ByClient: true));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation(PortalAuthDbContext.ClientEmailIndex))
        {
            throw TakenMeanwhile(rules);
        }

        await transaction.CommitAsync(cancellationToken);
        return new EmailConfirmed(link.NewEmail, client.PasswordHash is not null, AlreadyDone: false);
    }

    /// <summary>
    /// Another client has the address now. Said so only where the business takes registrations (as the start does,
    /// registration says as much to anyone); elsewhere in a dead link's words (decision 272), so no outcome of the
    /// email step, from the start to the link, tells whose an address is.
    /// </summary>
    private static FluentValidation.ValidationException TakenMeanwhile(PortalRules rules) =>
        rules is { EmailSignIn: true, AcceptingNewClients: true }
            ? ProblemException.Invalid("email", "This email address is already on another client's account here, so it cannot be used for yours. Nothing was changed.")
            : EmailChangeLinks.Dead();
}

public static class MyDetailsEndpoints
{
    public static void MapMyDetails(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/v1/portal/me/name", async (ChangeMyName command, ISender sender, HttpContext http, CancellationToken ct) =>
            {
                var clientId = http.User.SubjectId();
                await sender.Send(command with { ClientId = clientId }, ct);
                return Results.Ok(await sender.Send(new GetPortalMe(clientId), ct));
            })
            .RequirePortalClient()
            .RequirePortalEnabled()
            .WithName("ChangeMyName")
            .WithTags("Portal")
            .Answers(403, ProblemKinds.Forbidden)
            .WithSummary("The signed-in client's first and last name (registration's rules) → the client as `GET /api/v1/portal/me` answers it.")
            .Accepts<ChangeMyName>("application/json")
            .Produces<PortalMe>()
            .ProducesValidationProblem();

        app.MapPost("/api/v1/portal/me/email/start", async (StartMyEmailChange command, ISender sender, HttpContext http, CancellationToken ct) =>
                Results.Accepted(value: await sender.Send(
                    command with { ClientId = http.User.SubjectId(), CurrentSession = PortalSessions.CurrentKey(http), Ip = http.ClientIp() }, ct)))
            .RequirePortalClient()
            .RequirePortalEnabled()
            .WithName("StartMyEmailChange")
            .WithTags("Portal")
            .Answers(400, ProblemKinds.InvalidCode).Answers(403, ProblemKinds.Forbidden).Answers(410, ProblemKinds.AttemptExpired)
            .Answers(429, ProblemKinds.RateLimited)
            .WithSummary("Email the new address a link that makes it the signed-in client's email once opened and confirmed; "
                + "nothing changes before. A client with a password gives `currentPassword`; one without gives `attemptId` and `code` "
                + "from `POST /api/v1/portal/me/email/code` (a code texted to their verified mobile for this step, within 10 minutes, once).")
            .Accepts<StartMyEmailChange>("application/json")
            .Produces<EmailChangeSent>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        app.MapPost("/api/v1/portal/me/email/code", async (ISender sender, HttpContext http, CancellationToken ct) =>
                Results.Accepted(value: await sender.Send(new SendMyEmailCode { ClientId = http.User.SubjectId(), Ip = http.ClientIp() }, ct)))
            .RequirePortalClient()
            .RequirePortalEnabled()
            .WithName("SendMyEmailCode")
            .WithTags("Portal")
            .Answers(403, ProblemKinds.Forbidden).Answers(429, ProblemKinds.RateLimited)
            .WithSummary("Text the signed-in client without a password a code to their verified mobile, for `POST /api/v1/portal/me/email/start` "
                + "(phone sign-in's limits and countries; the code works only there, within 10 minutes, once). A client with a password, "
                + "or with no verified mobile → 403 `forbidden`.")
            .Produces<CodeSent>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        app.MapPost("/api/v1/portal/auth/confirm-email", async (ConfirmMyEmail command, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(command, ct)))
            .WithTenantFromQuery()
            .RequirePortalEnabled()
            .WithName("ConfirmMyEmail")
            .WithTags("Portal sign-in")
            .WithSummary("The emailed link's token: its address becomes the client's email (no session needed). "
                + "A dead link → `validation` on `token`; the address on another client's account by now → `validation` on `email`.")
            .Accepts<ConfirmMyEmail>("application/json")
            .Produces<EmailConfirmed>()
            .ProducesValidationProblem();
    }
}
