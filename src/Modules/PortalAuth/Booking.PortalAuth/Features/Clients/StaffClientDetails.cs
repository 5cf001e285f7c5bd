using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.Register;
using Booking.PortalAuth.Features.Sessions;
using Booking.PortalAuth.Sms;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Clients;

/// <summary>The details staff enter for a client: names, and an email or a mobile (or both).</summary>
public interface IClientDetails
{
    string? FirstName { get; }

    string? LastName { get; }

    string? Email { get; }

    string? Mobile { get; }

    /// <summary>Another number to call the client on, any type (decision 292): never signed in with or texted.</summary>
    string? OtherPhone { get; }
}

/// <summary>
/// Staff add a client (<c>POST /api/v1/admin/clients</c>): a phone-in or existing customer. Active whatever the
/// business's approval setting (staff added them); no password (forgot-password sets one, or they sign in by phone).
/// A mobile staff enter is verified: the business vouches for it, so phone sign-in finds it on file.
/// </summary>
public sealed record AddClient(string? FirstName, string? LastName, string? Email, string? Mobile) : ICommand<AdminClient>, IClientDetails
{
    /// <summary>Trimmed before the validator checks it and before it is stored.</summary>
    public string? Email { get; init; } = StaffClientDetails.TidyEmail(Email);

    /// <summary>Optional (decision 292): blank or left out is none.</summary>
    public string? OtherPhone { get; init; }
}

/// <summary>
/// Staff change a client's details (<c>PUT /api/v1/admin/clients/{id}</c>): the whole set, as added. A changed mobile
/// is verified (staff vouch for what they enter); an unchanged one keeps its standing (a claim stays a claim). A changed
/// email is the client's new sign-in address; reset links sent to the old one stop working. Emails are stored lower
/// case and signed in with case-insensitively, so a change of case only is no change.
/// </summary>
public sealed record ChangeClient(Guid Id, string? FirstName, string? LastName, string? Email, string? Mobile) : ICommand<AdminClient>, IClientDetails
{
    /// <summary>Trimmed before the validator checks it and before it is stored.</summary>
    public string? Email { get; init; } = StaffClientDetails.TidyEmail(Email);

    /// <summary>Additive (decision 292): null (left out) keeps the number on file, blank removes it.</summary>
    public string? OtherPhone { get; init; }
}

/// <summary>The body of <c>POST</c> and <c>PUT /api/v1/admin/clients</c>.</summary>
public sealed record ClientDetailsBody(string? FirstName, string? LastName, string? Email, string? Mobile)
{
    /// <summary>Decision 292: left out (or null) keeps it on a PUT, "" removes it.</summary>
    public string? OtherPhone { get; init; }
}

/// <summary>
/// Scoped like <see cref="RegisterValidator"/>: it reads the mobile with the business's country, as registration does
/// (<see cref="RegisterHandler.ReadMobile"/>), so a bad mobile is said with every other bad field at once. Whether the
/// email or mobile is another client's is checked by the handler (and, in a race, by the unique indexes).
/// </summary>
public abstract class ClientDetailsValidator<T> : AbstractValidator<T>
    where T : IClientDetails
{
    protected ClientDetailsValidator(ITenantContext tenant)
    {
        RuleFor(x => x.FirstName).NotEmpty().WithMessage("Enter the client's first name.").MaximumLength(100).WithMessage("Use at most 100 characters.").OneLine();
        RuleFor(x => x.LastName).NotEmpty().WithMessage("Enter the client's last name.").MaximumLength(100).WithMessage("Use at most 100 characters.").OneLine();
        RuleFor(x => x.Email).Must(e => e is null || EmailAddress.IsValid(e)).WithMessage("Enter a valid email address.");
        RuleFor(x => x.Mobile)
            .Must(m => string.IsNullOrWhiteSpace(m) || RegisterHandler.ReadMobile(m, tenant) is not null)
            .WithMessage((_, m) => StaffClientDetails.MobileRefusal(m, tenant));
        RuleFor(x => x.OtherPhone)
            .Must(p => string.IsNullOrWhiteSpace(p) || StaffClientDetails.ReadOtherPhone(p, tenant) is not null)
            .WithMessage((_, p) => Mobiles.OtherPhoneRefusal(p, tenant.Current?.CountryCode ?? "", StaffClientDetails.BadOtherPhone));
        // A way to reach the client: an email, a mobile, or (decision 292) only another phone, such as a landline. A change
        // that leaves the other phone out keeps the stored one, which only its handler can see (decision 293).
        RuleFor(x => x.Mobile)
            .Must((x, m) => x.Email is not null || !string.IsNullOrWhiteSpace(m) || !string.IsNullOrWhiteSpace(x.OtherPhone))
            .When(x => x is not ChangeClient { OtherPhone: null })
            .WithMessage(StaffClientDetails.EmailOrMobile);
        RuleFor(x => x.Email)
            .Must((x, e) => e is not null || !string.IsNullOrWhiteSpace(x.Mobile) || !string.IsNullOrWhiteSpace(x.OtherPhone))
            .When(x => x is not ChangeClient { OtherPhone: null })
            .WithMessage(StaffClientDetails.EmailOrMobile);
    }
}

public sealed class AddClientValidator(ITenantContext tenant) : ClientDetailsValidator<AddClient>(tenant);

public sealed class ChangeClientValidator(ITenantContext tenant) : ClientDetailsValidator<ChangeClient>(tenant);

internal static class StaffClientDetails
{
    public const string EmailOrMobile = "Give the client's email address, mobile number or other phone (at least one).";

    /// <summary>A landline typed as the mobile (decision 292): it belongs in the other phone, which takes any number.</summary>
    public const string LandlineAsMobile = "That looks like a landline. Texts go only to mobiles, so enter it as the other phone (landline; no texts), or enter a mobile number here.";

    public const string BadOtherPhone = "Enter a valid phone number.";

    /// <summary>Why a staff-typed mobile was refused: a landline points to the other phone (decision 292), a mobile without its area code asks for it, anything else is not valid.</summary>
    public static string MobileRefusal(string? input, ITenantContext tenant) =>
        Mobiles.IsLandline(input, tenant.Current?.CountryCode ?? "") ? LandlineAsMobile : Mobiles.NotValidFor(input, tenant.Current?.CountryCode ?? "");

    /// <summary>The other phone as E.164 (any type of number), read with the business's country; null when not a valid number.</summary>
    public static string? ReadOtherPhone(string input, ITenantContext tenant) =>
        Mobiles.AnyToE164(input, tenant.Current?.CountryCode ?? throw new InvalidOperationException("Needs the business's tenant context."));

    /// <summary>The other phone as E.164 (validated already), or null for blank or none.</summary>
    public static string? OtherPhone(string? input, ITenantContext tenant) =>
        string.IsNullOrWhiteSpace(input) ? null : ReadOtherPhone(input, tenant) ?? throw ProblemException.Invalid("otherPhone", BadOtherPhone);

    /// <summary>What the email-taken and mobile-taken errors tell staff.</summary>
    public const string OtherClients = "it is another client's (search for it in Clients)";

    /// <summary>Trimmed; blank is none.</summary>
    public static string? TidyEmail(string? email) => string.IsNullOrWhiteSpace(email) ? null : EmailAddress.Tidy(email);

    /// <summary>
    /// The lock a client's own proof of <paramref name="mobile"/> takes (<c>VerifyMyMobileHandler</c>): staff putting the
    /// number on file and a client proving it decide one after the other. None for no mobile.
    /// </summary>
    public static async Task LockMobileAsync(PortalAuthDbContext db, ITenantContext tenant, string? mobile, CancellationToken cancellationToken)
    {
        if (mobile is not null)
        {
            await db.Database.LockForTransactionAsync($"mobile:{tenant.TenantId!.Value}:{mobile}", cancellationToken);
        }
    }

    /// <summary>The mobile as E.164 (validated already), or null for none.</summary>
    public static string? Mobile(string? input, ITenantContext tenant) =>
        string.IsNullOrWhiteSpace(input) ? null : RegisterHandler.ReadMobile(input, tenant) ?? throw ProblemException.Invalid("mobile", MobileRefusal(input, tenant));
}

public sealed class AddClientHandler(PortalAuthDbContext db, ITenantContext tenant, SmsCountryRule countryRule, TimeProvider clock) : ICommandHandler<AddClient, AdminClient>
{
    public async ValueTask<AdminClient> Handle(AddClient command, CancellationToken cancellationToken)
    {
        var email = command.Email?.ToLowerInvariant();
        var mobile = StaffClientDetails.Mobile(command.Mobile, tenant);
        if (mobile is not null)
        {
            await countryRule.RefuseOutsideAsync(mobile, SmsCountryRule.ForStaff, cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await StaffClientDetails.LockMobileAsync(db, tenant, mobile, cancellationToken);
        await ClientJoining.EnsureFreeAsync(db, email, mobile, StaffClientDetails.OtherClients, cancellationToken, mobileTakenThen: StaffClientDetails.OtherClients,
            staffVouch: true);
        await db.SaveChangesAsync(cancellationToken); // a claim released first: the unique index is checked per statement
        var now = clock.GetUtcNow();
        var client = new Client
        {
            Id = Guid.CreateVersion7(),
            FirstName = command.FirstName!.Trim(),
            LastName = command.LastName!.Trim(),
            Email = email,
            Mobile = mobile,
            OtherPhone = StaffClientDetails.OtherPhone(command.OtherPhone, tenant),
            MobileVerified = mobile is not null, // the business vouches for the number it puts on file
            MobileVouchedByStaff = mobile is not null,
            Status = ClientStatus.Active,
            CreatedAt = now.AddTicks(-(now.Ticks % 10)), // to the microsecond, as stored: the answer reads as GET reads it
        };

        // Registration's save: ClientJoined (via "staff") in the same transaction; a concurrent taker of the email or
        // mobile is refused by the unique index with the same field error.
        db.Clients.Add(client);
        db.Publish(new Contracts.ClientJoined(Guid.CreateVersion7(), tenant.TenantId!.Value, client.Id, client.Status, "staff"));
        await ClientJoining.SaveUniqueAsync(db, StaffClientDetails.OtherClients, cancellationToken, StaffClientDetails.OtherClients);
        await transaction.CommitAsync(cancellationToken);
        return AdminClients.View(client, tenant, new RemovedPets([], false));
    }
}

/// <summary>
/// A changed or removed email takes the client's password with it and ends all their portal sessions (decision 300: a
/// password belongs to the email it was set with; a session does not say reliably which way it was opened, and ending
/// every one costs the client one sign-in with what is left).
/// A changed email also ends the client's portal sessions and tells the old address (<see cref="Contracts.ClientSignInEmailChanged"/>,
/// written to the outbox in the save): a staff member (or a mistaken edit) could otherwise move the client's sign-in to
/// another address, reset the password there and sign in as the client unseen. Only when the client had an email
/// before: adding a first one takes nothing over (a phone client's session stays), and removing one leaves nothing to
/// sign in with by email (the reset links are cancelled as for any change).
/// <para>
/// A changed or removed mobile is the same route through phone sign-in (whoever holds the new number signs in as the
/// client): it ends the client's portal sessions and the codes in flight for the old number, and publishes
/// <see cref="Contracts.ClientMobileChanged"/> (the old number is texted, the client's email told). Only when the client
/// had a mobile before; the same number typed another way reads as the same E.164 and is no change.
/// </para>
/// One transaction: the client's row is locked first (two edits at once tell the number each replaced), and the
/// sessions end in it (<see cref="PortalSessions.EndAllInTransactionAsync"/>), so the change, its events and the ended
/// sessions and codes are written together or not at all.
/// </summary>
public sealed class ChangeClientHandler(PortalAuthDbContext db, ITenantContext tenant, SmsCountryRule countryRule, TimeProvider clock) : ICommandHandler<ChangeClient, AdminClient>
{
    public async ValueTask<AdminClient> Handle(ChangeClient command, CancellationToken cancellationToken)
    {
        var mobile = StaffClientDetails.Mobile(command.Mobile, tenant);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The number before the row, in the order a client's own proof of a mobile takes them (no two wait in a circle).
        await StaffClientDetails.LockMobileAsync(db, tenant, mobile, cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM portalauth.clients WHERE id = {command.Id} FOR NO KEY UPDATE", cancellationToken);
        var client = await db.Clients.Include(c => c.Pets).FirstOrDefaultAsync(c => c.Id == command.Id, cancellationToken)
            ?? throw ProblemException.NotFound("Client not found.");
        if (command.OtherPhone is null && command.Email is null && mobile is null && client.OtherPhone is null)
        {
            // The validator's "a way to reach the client" with the other phone left out (kept): judged on the stored one.
            throw new FluentValidation.ValidationException(
            [
                new FluentValidation.Results.ValidationFailure("email", StaffClientDetails.EmailOrMobile),
                new FluentValidation.Results.ValidationFailure("mobile", StaffClientDetails.EmailOrMobile),
            ]);
        }

        var email = command.Email?.ToLowerInvariant();
        var emailChanged = email != client.Email;
        var mobileChanged = mobile != client.Mobile;
        if (mobileChanged && mobile is not null)
        {
            // Only a new number: a client's number kept from before the business narrowed its countries stays editable around.
            await countryRule.RefuseOutsideAsync(mobile, SmsCountryRule.ForStaff, cancellationToken);
        }

        await ClientJoining.EnsureFreeAsync(db, emailChanged ? email : null, mobileChanged ? mobile : null, StaffClientDetails.OtherClients, cancellationToken,
            except: client.Id, mobileTakenThen: StaffClientDetails.OtherClients, staffVouch: true);
        await db.SaveChangesAsync(cancellationToken); // a claim released first: the unique index is checked per statement

        var now = clock.GetUtcNow();
        var tenantId = tenant.TenantId!.Value;
        client.FirstName = command.FirstName!.Trim();
        client.LastName = command.LastName!.Trim();
        if (command.OtherPhone is not null)
        {
            client.OtherPhone = StaffClientDetails.OtherPhone(command.OtherPhone, tenant); // blank: none; left out: kept
        }

        var oldEmail = client.Email;
        var signInMoved = emailChanged && oldEmail is not null && email is not null;
        // A password belongs to the email it was set with (decision 300): an email removed or replaced (or a first one
        // given to a record holding a password from before) takes the password away, and every session ends below, so a
        // password typed by whoever set up the old address never opens the new one.
        var passwordCleared = emailChanged && client.PasswordHash is not null;
        if (emailChanged)
        {
            client.PasswordHash = null;
            client.Email = email;
            client.EmailChangedAt = now; // the client's own email-change links made before this stop working
            client.EmailConfirmedAt = null; // typed by staff: proven again only by a reset link or the client's own confirm link

            // A reset link already sent to the old address would still set the password of the account the new address
            // now signs in to: those links stop working.
            await foreach (var token in db.ResetTokens.Where(t => t.ClientId == client.Id && t.UsedAt == null).AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                token.UsedAt = now;
            }

            if (signInMoved)
            {
                db.Publish(new Contracts.ClientSignInEmailChanged(Guid.CreateVersion7(), tenantId, client.Id, client.FirstName,
                    oldEmail!, email!, now));
            }
        }

        var oldMobile = client.Mobile;
        var mobileMoved = mobileChanged && oldMobile is not null;
        if (mobileMoved)
        {
            // A code texted to the old number before the change, or a proof of a mobile the client had under way, ends
            // with it: the number is no longer the client's way in.
            await db.Attempts.Where(a => a.VerifiedAt == null && (a.Mobile == oldMobile || a.ClientId == client.Id)).ExecuteDeleteAsync(cancellationToken);
            db.Publish(new Contracts.ClientMobileChanged(Guid.CreateVersion7(), tenantId, client.Id, client.FirstName, oldEmail,
                oldMobile!, client.MobileUsed, mobile is null ? null : Contracts.ClientMobileChanged.Ending(mobile), now));
        }

        if (mobileChanged)
        {
            client.Mobile = mobile;
            client.MobileVerified = mobile is not null; // staff vouch for a number they enter; none is not verified
            client.MobileVouchedByStaff = mobile is not null;
            client.MobileUsedAt = null; // a new number is only typed until its holder gives back a code sent to it
        }

        await ClientJoining.SaveUniqueAsync(db, StaffClientDetails.OtherClients, cancellationToken, StaffClientDetails.OtherClients);
        if (signInMoved || mobileMoved || passwordCleared || (emailChanged && oldEmail is not null))
        {
            // As a password reset does: every device the client was signed in on signs in again, with the new address or number.
            await PortalSessions.EndAllInTransactionAsync(db, tenantId, client.Id, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return AdminClients.View(client, tenant, await AdminClients.RemovedPetsAsync(db, client.Id, cancellationToken));
    }
}
