using Booking.BuildingBlocks.Data;
using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Register;

/// <summary>
/// What registering (email and password) and the new-client flow (a verified phone) share: a business's email
/// addresses and mobiles belong to one client each, checked before the save and, for a request that registered the
/// same one at the same moment, by the unique indexes at the save (decision 58), with the same field error either
/// way; a new client is announced with <see cref="ClientJoined"/> in the same transaction.
/// </summary>
internal static class ClientJoining
{
    /// <param name="emailTakenThen">What the email-taken error tells the person to do instead.</param>
    /// <param name="mobileProven">
    /// The mobile was proven by an SMS code (the new-client flow): another client's unverified claim on it does not
    /// stand in the way; it is taken off that client (tracked here, so it is saved with the new client, in one
    /// transaction). Otherwise (staff, the seed's verified mobile) any client's mobile, verified or not, is taken, so two
    /// claims never coexist. Registration asks <see cref="ClaimableAsync"/> instead, which refuses nothing.
    /// </param>
    /// <param name="except">The client whose own email and mobile these may be (staff changing a client's details).</param>
    /// <param name="mobileTakenThen">What the mobile-taken error tells the person to do instead.</param>
    /// <param name="staffVouch">
    /// Staff enter the mobile (add or change a client): the business vouches for it, and the number goes on file verified.
    /// Only a verified holder (whom phone sign-in finds by it) stands in the way; another client's unproven claim is taken
    /// off them quietly (<see cref="MobileClaims.Release"/>, tracked: the caller saves it before its own change, under the
    /// number's lock). Decision 237.
    /// </param>
    /// <param name="notThatAccount">
    /// With <paramref name="mobileProven"/>: the person said they are not the client who claimed the number. Without it,
    /// a claim by a client who signs in with an email is not taken over: the person is told that account exists (its
    /// email masked), since it is most likely theirs (decision 99's claim, review J8).
    /// </param>
    public static async Task EnsureFreeAsync(
        PortalAuthDbContext db, string? email, string? mobile, string emailTakenThen, CancellationToken cancellationToken, bool mobileProven = false,
        Guid? except = null, string mobileTakenThen = PortalProblems.SignInWithIt, bool notThatAccount = false, bool staffVouch = false)
    {
        // The email first (registration and staff: the phone new-client flow passes none, decision 321), then the mobile.
        if (email is not null && await db.Clients.AnyAsync(c => c.Email == email && c.Id != except, cancellationToken))
        {
            throw PortalProblems.EmailTaken(emailTakenThen);
        }

        if (mobile is null)
        {
            return;
        }

        var holder = await db.Clients.FirstOrDefaultAsync(c => c.Mobile == mobile && c.Id != except, cancellationToken);
        if (holder is null)
        {
            return;
        }

        if (holder.MobileVerified || !(mobileProven || staffVouch))
        {
            throw PortalProblems.MobileTaken(mobileTakenThen);
        }

        if (staffVouch)
        {
            MobileClaims.Release(holder);
            return;
        }

        if (holder.Email is { } claimantEmail && !notThatAccount)
        {
            throw MobileClaims.ClaimedByEmailAccount(claimantEmail);
        }

        MobileClaims.TakeOver(db, holder);
    }

    /// <summary>
    /// Registration's mobile: <paramref name="mobile"/> when no client of the business has it, to keep on the new client
    /// as an unproven claim; null when one has it, verified or only claimed, and then the registration goes on without it
    /// and says nothing of it (PRODUCT.md: whether a phone is on file is told only after its code). One read either way.
    /// </summary>
    public static async Task<string?> ClaimableAsync(PortalAuthDbContext db, string? mobile, CancellationToken cancellationToken) =>
        mobile is not null && !await db.Clients.AnyAsync(c => c.Mobile == mobile, cancellationToken) ? mobile : null;

    /// <param name="via">How the client joined, as <see cref="ClientJoined"/> says it ("register", "phone").</param>
    /// <param name="mobileIsClaim">
    /// The client's mobile is a registration's claim (<see cref="ClaimableAsync"/>): a concurrent request that took the
    /// number since the check does not refuse the registration; it is saved without the mobile, as if the number had been
    /// taken before, so the race tells nothing either.
    /// </param>
    public static async Task<RegisteredClient> SaveAsync(
        PortalAuthDbContext db, Guid tenantId, Client client, string via, string emailTakenThen, CancellationToken cancellationToken, bool mobileIsClaim = false)
    {
        db.Clients.Add(client);
        db.Publish(new ClientJoined(Guid.CreateVersion7(), tenantId, client.Id, client.Status, via));
        try
        {
            await SaveUniqueAsync(db, emailTakenThen, cancellationToken);
        }
        catch (FluentValidation.ValidationException ex) when (mobileIsClaim && ex.Errors.Any(e => e.PropertyName == "mobile"))
        {
            // The failed save rolled back and left the new rows to add; the claim is simply not kept.
            client.Mobile = null;
            client.MobileVerified = false;
            await SaveUniqueAsync(db, emailTakenThen, cancellationToken);
        }

        return new RegisteredClient(client.Id, client.Status);
    }

    /// <summary>
    /// Saves a client's new or changed email or mobile: one a concurrent request took since <see cref="EnsureFreeAsync"/>
    /// checked is refused by the unique index and answered with the same field error (nothing saved).
    /// </summary>
    public static async Task SaveUniqueAsync(
        PortalAuthDbContext db, string emailTakenThen, CancellationToken cancellationToken, string mobileTakenThen = PortalProblems.SignInWithIt)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation(PortalAuthDbContext.ClientEmailIndex))
        {
            throw PortalProblems.EmailTaken(emailTakenThen); // registered by a concurrent request since the check
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation(PortalAuthDbContext.ClientMobileIndex))
        {
            throw PortalProblems.MobileTaken(mobileTakenThen);
        }
    }
}

/// <summary>Decision 99: whoever proves a phone by its SMS code takes it over from a client who only claimed it.</summary>
internal static class MobileClaims
{
    /// <summary>The body field by which the new-client flow's person says they are not the client who claimed the number.</summary>
    public const string NotThatAccountField = "notThatAccount";

    /// <summary>
    /// The masked email of the client who claimed (typed at email registration, never proved) <paramref name="mobile"/>,
    /// or null when no client with an email claims it. Told only to someone who has just proven the number by its code.
    /// </summary>
    public static async Task<string?> ClaimantEmailAsync(PortalAuthDbContext db, string mobile, CancellationToken cancellationToken)
    {
        var email = await db.Clients.AsNoTracking()
            .Where(c => c.Mobile == mobile && !c.MobileVerified && c.Email != null)
            .Select(c => c.Email)
            .FirstOrDefaultAsync(cancellationToken);
        return email is null ? null : Mask(email);
    }

    /// <summary>"emma@client.example" → "e•••@client.example": enough for its owner to recognise, little for anyone else.</summary>
    public static string Mask(string email)
    {
        var at = email.LastIndexOf('@');
        return at <= 0 ? "•••" : email[..1] + "•••" + email[at..];
    }

    /// <summary>What the new-client flow tells a person whose proven number another client (with an email) only claimed.</summary>
    public static FluentValidation.ValidationException ClaimedByEmailAccount(string claimantEmail) =>
        Booking.BuildingBlocks.Problems.ProblemException.Invalid(NotThatAccountField,
            $"This mobile number is on an account that signs in with an email ({Mask(claimantEmail)}). If that is you, sign in with your email, "
            + "then verify your mobile under Your details. If it is not you, confirm that to go on as a new client.");

    /// <summary>
    /// Staff put a number on file that <paramref name="holder"/> only typed (never proved): it comes off their account
    /// without an email (decision 237). Nothing they could see or use changes: their own view shows only a verified
    /// mobile, and phone sign-in never found them by it. A proof of it they have under way then meets the verified
    /// holder and is refused in the usual words ("on another client's account … ask the business").
    /// </summary>
    public static void Release(Client holder)
    {
        holder.Mobile = null;
        holder.MobileVerified = false;
        holder.MobileVouchedByStaff = false;
    }

    /// <summary>
    /// Takes the unverified mobile off <paramref name="holder"/> (tracked: saved with the caller's save) and, in the
    /// same save, asks for the email that tells them (<see cref="MobileClaimRemoved"/>).
    /// </summary>
    public static void TakeOver(PortalAuthDbContext db, Client holder)
    {
        var mobile = holder.Mobile ?? "";
        holder.Mobile = null;
        holder.MobileVerified = false;
        holder.MobileVouchedByStaff = false;
        db.Publish(new MobileClaimRemoved(Guid.CreateVersion7(), holder.TenantId, holder.Id, holder.Email, holder.FirstName, mobile.Length > 3 ? mobile[^3..] : mobile));
    }
}
