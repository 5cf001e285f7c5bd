using Booking.BuildingBlocks.Phones;
using Booking.BuildingBlocks.Problems;
using Booking.PortalAuth.Domain;

namespace Booking.PortalAuth.Features.Merge;

/// <summary>
/// What a merge of <paramref name="Away"/> into <paramref name="Keep"/> does to the kept record's sign-in and standing
/// (decision 287): the kept record keeps its own names, email, mobile, password and standing; an empty email or mobile is
/// filled from the other record only with what was proven there (an email its owner proved by a link; a mobile proven by a
/// code or put on file by staff), never with a detail only typed, so a merge hands nobody a way in they did not have.
/// A password belongs to the email it was set with (decision 300): a carried email brings its own record's password (or
/// none), and the kept record's own password, set with no email or another one, never stays beside it.
/// </summary>
/// <param name="CountryCode">The business's country: the refusal writes numbers as the Merge page's table does (decision 304).</param>
/// <param name="ReplaceMobile">
/// Staff chose "replace the unconfirmed mobile with the proven one" (decision 340): where the kept record's mobile is only
/// typed (never proven by a code, so it never signed anyone in) and the merged-away record's is proven, the merged-away
/// number takes its place in the merge itself instead of the mobile refusal. Ignored where there is nothing to replace.
/// </param>
internal sealed record ClientMergePlan(Client Keep, Client Away, string? CountryCode = null, bool ReplaceMobile = false)
{
    /// <summary>Both records hold an email: the merge would take one of the person's sign-ins away unseen.</summary>
    public static string EmailRefusal(string keep, string away) =>
        $"Both records have an email address ({keep} and {away}). Change or remove one of them first (Edit details), then merge.";

    /// <summary>The merged-away record's mobile is a proven way in and the kept record has another number.</summary>
    public static string MobileRefusal(string keep, string away, string? countryCode = null) =>
        $"Both records have a mobile number ({PhoneDisplay.Format(keep, countryCode) ?? keep} and {PhoneDisplay.Format(away, countryCode) ?? away}), and the merged-away record signs in with its own. Change or remove one of them first (Edit details), then merge.";

    /// <summary>The merge would be refused: the field and the words, or null.</summary>
    public (string Field, string Message)? Refusal =>
        Keep.Email is { } keepEmail && Away.Email is { } awayEmail && keepEmail != awayEmail ? ("email", EmailRefusal(keepEmail, awayEmail))
        : MobilesClash && !ReplacesMobile ? ("mobile", MobileRefusal(Keep.Mobile!, Away.Mobile!, CountryCode))
        : null;

    /// <summary>Both records hold a mobile, different ones, and the merged-away one is a way in (proven or staff's).</summary>
    private bool MobilesClash => Keep.Mobile is { } keepMobile && Away.Mobile is { } awayMobile && keepMobile != awayMobile && Away.MobileVerified;

    /// <summary>
    /// Decision 340: the mobile refusal can be lifted in the merge itself: the kept record's number was only typed (not
    /// verified: phone sign-in never finds it), so replacing it takes no way in from anyone. The Merge page offers it.
    /// </summary>
    public bool MobileReplaceable => MobilesClash && !Keep.MobileVerified;

    /// <summary>The merged-away record's proven mobile replaces the kept record's unconfirmed one (asked for, and replaceable).</summary>
    public bool ReplacesMobile => ReplaceMobile && MobileReplaceable;

    /// <summary>The kept record's unconfirmed number that the merge replaces, or null.</summary>
    public string? ReplacedMobile => ReplacesMobile ? Keep.Mobile : null;

    /// <summary>The merged-away record's email becomes the kept record's: the kept one has none and its owner proved this one.</summary>
    public bool CarriesEmail => Keep.Email is null && Away.Email is not null && Away.EmailConfirmedAt is not null;

    /// <summary>The merged-away record's mobile becomes the kept record's: the kept one has none and this one is proven or staff's.</summary>
    public bool CarriesMobile => (Keep.Mobile is null || ReplacesMobile) && Away.Mobile is not null && Away.MobileVerified;

    /// <summary>The carried email's password comes with it (decision 300: it is that sign-in's password, and the only one the email opens).</summary>
    public bool CarriesPassword => CarriesEmail && Away.PasswordHash is not null;

    /// <summary>
    /// The kept record's own password goes (decision 300): it was set with no email or another one (a staff edit removed
    /// it), so it must not open the email carried over.
    /// </summary>
    public bool DropsKeptPassword => CarriesEmail && Keep.PasswordHash is not null;

    /// <summary>
    /// The kept record's sessions end (decision 300): it gains an email (and that email's password, or none, in place of
    /// its own), so whoever is signed in to it signs in again with what it now has. A carried mobile alone does not end
    /// them: the kept record's own email and password still sign in as before, so ending the session would protect nothing.
    /// </summary>
    public bool EndsKeptSessions => CarriesEmail;

    /// <summary>
    /// The kept record signs in with an email its owner never proved, with a password (decision 300): whoever typed that
    /// email and set the password will see the other record's appointments and pets (and sign in with a mobile carried
    /// over). Not refused (a client who registered and never opened the confirm link is the usual case, and staff vouch
    /// that both are one person); the Merge page warns and offers keeping the other record. The email, or null.
    /// </summary>
    public string? UnprovenKeptEmail => Keep is { Email: { } email, EmailConfirmedAt: null, PasswordHash: not null } ? email : null;

    /// <summary>
    /// Decision 314: the kept record signs in by phone (a proven mobile, no email) and gains the other record's email, with
    /// its password or a "Forgot password" away: a way in its holder never proved. Its mobile is texted a notice after the
    /// merge, and the Merge page warns as for <see cref="UnprovenKeptEmail"/>. The mobile, or null.
    /// </summary>
    public string? PhoneHolderNotice => CarriesEmail && Keep is { Email: null, Mobile: { } mobile, MobileVerified: true } ? mobile : null;

    /// <summary>
    /// Decision 319, the mirror of <see cref="PhoneHolderNotice"/>: the kept record has an email (its holder signs in with
    /// it, or can by "Forgot password") and gains the other record's mobile, so whoever has that phone can now sign in by a
    /// code: a way in the email's holder never proved. Proven by a code or typed by staff alike: either signs in. Its email
    /// gets one notice after the merge. The email, or null.
    /// </summary>
    public string? EmailHolderNotice => CarriesMobile && Keep.Email is { } email ? email : null;

    /// <summary>The merged-away record's email goes: typed there but never proven (or the kept record has one; then the merge is refused).</summary>
    public string? DroppedEmail => Away.Email is not null && !CarriesEmail ? Away.Email : null;

    /// <summary>The merged-away record's mobile goes: only typed there (a claim), or the kept record has its own number.</summary>
    public string? DroppedMobile => Away.Mobile is not null && !CarriesMobile ? Away.Mobile : null;

    /// <summary>
    /// The merged-away record's other phone (a landline, decision 292) becomes the kept record's when it has none: it is
    /// never a way in (no sign-in, no texts), so it carries no trust, and a walk-in's landline is often all staff had.
    /// </summary>
    public bool CarriesOtherPhone => Keep.OtherPhone is null && Away.OtherPhone is not null;

    /// <summary>The merged-away record's other phone goes: the kept record has a different one of its own.</summary>
    public string? DroppedOtherPhone => Away.OtherPhone is not null && Keep.OtherPhone is not null && Keep.OtherPhone != Away.OtherPhone ? Away.OtherPhone : null;

    /// <summary>The merged-away record's password goes: no email of its own comes with it, or the kept record has one.</summary>
    public bool DropsPassword => Away.PasswordHash is not null && !CarriesPassword;

    /// <summary>Throws the refusal (400 <c>validation</c> naming the field), if any.</summary>
    public void EnsureAllowed()
    {
        if (Refusal is { } refusal)
        {
            throw ProblemException.Invalid(refusal.Field, refusal.Message);
        }
    }

    /// <summary>Writes the carried details onto the kept record (tracked); its own details and standing stay.</summary>
    public void Apply()
    {
        // Decided on the records as they were: each write below changes what the properties would say.
        var (carriesEmail, carriesPassword, carriesMobile, carriesOtherPhone) = (CarriesEmail, CarriesPassword, CarriesMobile, CarriesOtherPhone);
        if (carriesEmail)
        {
            Keep.Email = Away.Email;
            Keep.EmailConfirmedAt = Away.EmailConfirmedAt;
            Keep.EmailChangedAt = Away.EmailChangedAt;
        }

        if (carriesEmail)
        {
            // The carried email's own password, or none: never the kept record's, set with another email or none (decision 300).
            Keep.PasswordHash = carriesPassword ? Away.PasswordHash : null;
        }

        if (carriesMobile)
        {
            Keep.Mobile = Away.Mobile;
            Keep.MobileVerified = true;
            Keep.MobileVouchedByStaff = Away.MobileVouchedByStaff;
            Keep.MobileUsedAt = Away.MobileUsedAt;
        }

        if (carriesOtherPhone)
        {
            Keep.OtherPhone = Away.OtherPhone;
        }

        // The kept record owes its first booking request only while neither did any booking: the other's appointments are its own now.
        Keep.AwaitingFirstRequest = Keep.AwaitingFirstRequest && Away.AwaitingFirstRequest;
    }
}
