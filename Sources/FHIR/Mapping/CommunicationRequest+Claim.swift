import Foundation

extension CommunicationRequest {
    /// A payer's request for more information about `claim` (HCX `/communication/request`):
    /// `about` the claim, from its insurer to its provider, the question as text payload.
    /// - Parameter authoredOn: FHIR `dateTime` text.
    public init(askingAbout claim: FHIRClaim, reason: String, id: String, authoredOn: String) {
        self.init(
            id: id, identifier: [Identifier(system: "urn:rcm:communication-request", value: id)], status: "active",
            subject: claim.patient,
            about: [Reference(reference: claim.id.map { "Claim/\($0)" }, identifier: claim.identifier?.first)],
            payload: [Communication.Payload(contentString: reason)], authoredOn: authoredOn,
            requester: claim.insurer, recipient: claim.provider.map { [$0] })
    }
}
