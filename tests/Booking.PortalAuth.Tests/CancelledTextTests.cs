using Booking.PortalAuth.Features.AppointmentSms;
using Booking.PortalAuth.Features.RequestDecisionSms;

namespace Booking.PortalAuth.Tests;

/// <summary>The cancellation text carries staff's reason within the decision texts' two segments (decision 252).</summary>
public sealed class CancelledTextTests
{
    private const string Book = "https://booking.example/ol/book?name=pawsome";

    [Fact]
    public void Staff_s_reason_follows_the_cancellation_and_precedes_the_link()
    {
        Assert.Equal(
            "Pawsome cancelled your appointment: Nail Trim, Tuesday 8 December 2026 at 9:00 AM AEDT. Reason: Groomer ill. To book again: " + Book,
            AppointmentTexts.Cancelled("Pawsome", "Nail Trim, Tuesday 8 December 2026 at 9:00 AM AEDT", byStaff: true, request: false, Book, "  Groomer\n ill "));
        Assert.Equal("Pawsome cancelled your booking request. Reason: Fully booked that day!",
            AppointmentTexts.Cancelled("Pawsome", "", byStaff: true, request: true, null, "Fully booked that day!"));
        Assert.Equal("Pawsome cancelled your appointment.", AppointmentTexts.Cancelled("Pawsome", "", byStaff: true, request: false, null, "  "));
    }

    [Fact]
    public void A_long_reason_is_shortened_to_keep_the_text_within_two_segments_and_the_link_whole()
    {
        var text = AppointmentTexts.Cancelled("Pawsome", "Nail Trim, Tuesday 8 December 2026 at 9:00 AM AEDT", true, false, Book, new string('x', 1000));
        Assert.InRange(text.Length, DecisionTexts.MaxLength - 1, DecisionTexts.MaxLength);
        Assert.EndsWith("xxx... To book again: " + Book, text, StringComparison.Ordinal);

        // A business name that leaves no room: the cancellation and the link, no reason.
        var longName = new string('B', 250);
        Assert.Equal($"{longName} cancelled your appointment. To book again: {Book}", AppointmentTexts.Cancelled(longName, "", true, false, Book, "Groomer ill"));
    }
}
