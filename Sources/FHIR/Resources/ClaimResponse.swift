import Foundation

/// FHIR R4 `ClaimResponse` (the elements RCM reads and the sandbox payer writes; HCX IG v0.7.1
/// profile `ClaimResponse`).
public struct FHIRClaimResponse: Hashable, Sendable, Codable {
    /// One adjudication amount (`ClaimResponse.item.adjudication` / `ClaimResponse.total`):
    /// `category` from `http://terminology.hl7.org/CodeSystem/adjudication` (`submitted`,
    /// `benefit`, …).
    public struct Adjudication: Hashable, Sendable, Codable {
        public var category: CodeableConcept
        public var reason: CodeableConcept?
        public var amount: FHIRMoney?
        /// A non-monetary value, e.g. a percentage for `eligpercent`.
        public var value: Decimal?

        public init(category: CodeableConcept, reason: CodeableConcept? = nil, amount: FHIRMoney?) {
            self.category = category
            self.reason = reason
            self.amount = amount
        }
    }

    /// The decision on one claim line.
    public struct Item: Hashable, Sendable, Codable {
        /// The `Claim.item.sequence` this answers.
        public var itemSequence: Int
        public var adjudication: [Adjudication]

        public init(itemSequence: Int, adjudication: [Adjudication]) {
            self.itemSequence = itemSequence
            self.adjudication = adjudication
        }
    }

    /// A total by category (`ClaimResponse.total`).
    public struct Total: Hashable, Sendable, Codable {
        public var category: CodeableConcept
        public var amount: FHIRMoney

        public init(category: CodeableConcept, amount: FHIRMoney) {
            self.category = category
            self.amount = amount
        }
    }

    /// The payment the payer made or will make (`ClaimResponse.payment`).
    public struct Payment: Hashable, Sendable, Codable {
        /// `complete` or `partial` (ex-paymenttype code system).
        public var type: CodeableConcept
        public var adjustment: FHIRMoney?
        /// FHIR `date`.
        public var date: String?
        public var amount: FHIRMoney
        public var identifier: Identifier?
    }

    /// A processing error (`ClaimResponse.error`), optionally pointing at a line.
    public struct ResponseError: Hashable, Sendable, Codable {
        public var itemSequence: Int?
        public var code: CodeableConcept
    }

    /// A note from the payer (`ClaimResponse.processNote`).
    public struct ProcessNote: Hashable, Sendable, Codable {
        public var number: Int?
        /// `display`, `print` or `printoper`.
        public var type: String?
        public var text: String
    }

    public var resourceType: String = "ClaimResponse"
    public var id: String?
    public var meta: Meta?
    public var identifier: [Identifier]?
    public var status: String?
    public var type: CodeableConcept?
    public var use: String?
    public var patient: Reference?
    public var created: String?
    public var insurer: Reference?
    public var requestor: Reference?
    public var request: Reference?
    /// `queued`, `complete`, `error` or `partial`.
    public var outcome: String?
    public var disposition: String?
    public var item: [Item]?
    public var total: [Total]?
    /// The pre-authorisation reference the payer issued (for `use = preauthorization`).
    public var preAuthRef: String?
    public var payment: Payment?
    public var processNote: [ProcessNote]?
    public var error: [ResponseError]?

    public init(
        id: String?, meta: Meta?, identifier: [Identifier]?, status: String, type: CodeableConcept?,
        use: String, patient: Reference?, created: String, insurer: Reference?,
        requestor: Reference?, request: Reference?, outcome: String, disposition: String?,
        item: [Item], total: [Total]
    ) {
        self.id = id
        self.meta = meta
        self.identifier = identifier
        self.status = status
        self.type = type
        self.use = use
        self.patient = patient
        self.created = created
        self.insurer = insurer
        self.requestor = requestor
        self.request = request
        self.outcome = outcome
        self.disposition = disposition
        self.item = item
        self.total = total
    }
}
