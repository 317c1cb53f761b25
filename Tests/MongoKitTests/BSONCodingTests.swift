import Foundation
import MongoKit
import Testing
