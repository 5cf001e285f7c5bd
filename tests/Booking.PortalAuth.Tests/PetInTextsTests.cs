using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.PortalAuth.Features.AppointmentSms;
using Booking.PortalAuth.Features.RequestDecisionSms;

namespace Booking.PortalAuth.Tests;

/// <summary>
/// Every appointment text names the pet it is for, as the emails' "For: …" line does, within the texts' two segments
/// (decision 261): the pet makes room for itself (a reason is shortened further) and is left out only where even the
/// text without a reason would not fit.
/// </summary>
public sealed class PetInTextsTests
{
    private const string Book = "https://booking.example/ol/book?name=pawsome";
    private static readonly DateTimeOffset Start = new(2026, 12, 15, 15, 0, 0, TimeSpan.Zero);
    private static readonly TenantInfo Business = new(Guid.NewGuid(), "pawsome", "Pawsome", "America/New_York", "US", "USD", true);

    private static BookingRequestDecided Decided(bool accepted, string? reason = null) =>
        new(Guid.NewGuid(), Business.Id, Guid.NewGuid(), Guid.NewGuid(), "booking", accepted, reason, Start: Start, PetId: Guid.NewGuid());

    [Fact]
    public void The_pet_follows_the_service_in_every_appointment_text()
    {
        const string When = "Tuesday, December 15, 2026 at 10:00 AM EST";
        Assert.Equal($"Full groom for Luna, {When}", DecisionTexts.What(Start, Business, "Full groom", TimeFormat.TwelveHour, " Luna\n"));
        Assert.Equal($"for Luna, {When}", DecisionTexts.What(Start, Business, null, TimeFormat.TwelveHour, "Luna"));
        Assert.Equal($"Full groom, {When}", DecisionTexts.What(Start, Business, "Full groom", TimeFormat.TwelveHour, "  "));

        Assert.Equal($"Pawsome accepted your booking request: Full groom for Luna, {When}. Your appointments: {Book}",
            DecisionTexts.Body(Decided(true), Business, "Full groom", Book, TimeFormat.TwelveHour, petName: "Luna"));
        Assert.Equal($"Pawsome received your booking request: Full groom for Luna, {When}. It is not confirmed yet: you will get a text when they have decided. Your appointments: {Book}",
            AppointmentTexts.Received("Pawsome", DecisionTexts.What(Start, Business, "Full groom", TimeFormat.TwelveHour, "Luna"), Book));
    }

    [Fact]
    public void A_long_reason_makes_room_for_the_pet_and_a_text_that_cannot_fit_it_leaves_it_out()
    {
        var text = DecisionTexts.Body(Decided(false, new string('x', 1000)), Business, "Full groom", Book, TimeFormat.TwelveHour, petName: new string('L', 100));
        Assert.InRange(text.Length, DecisionTexts.MaxLength - 1, DecisionTexts.MaxLength);
        Assert.Contains("Full groom for " + new string('L', 100) + ", Tuesday", text, StringComparison.Ordinal);

        // A business name that leaves no room: the decision and the link whole, without the pet.
        var longName = Business with { Name = new string('B', 120) };
        var booked = DecisionTexts.WithPet(new string('L', 100), pet => AppointmentTexts.Booked(
            longName.Name, DecisionTexts.What(Start, longName, "Full groom", TimeFormat.TwelveHour, pet), Book, null));
        Assert.DoesNotContain("LLL", booked, StringComparison.Ordinal);
        Assert.Contains("Full groom, Tuesday", booked, StringComparison.Ordinal);
        Assert.InRange(booked.Length, 1, DecisionTexts.MaxLength);
    }
}
